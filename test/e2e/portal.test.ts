/**
 * The tenant portal end to end: Chromium against the whole twin (API, workflows, Stripe stand-in
 * with its Stripe.js-compatible script, barrier simulator, SES outbox). One test per journey of
 * the portal, in the order a tenant meets them; the last ones open every email link the journeys
 * produced, and look at every page at a phone's and a desktop's width.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { TestTwin } from '../support/twin';
import { checkedPages, checkPage, launchBrowser, newTab, problemsOf, screenshot, WIDTHS } from './browser';
import {
  addCard,
  emailTo,
  expectReachableByKeyboard,
  expectText,
  heading,
  logIn,
  newEmail,
  newTenant,
  PASSWORD,
  portalLinks,
  signUp,
} from './journeys';
import { startPortalTwin } from './portal-twin';

let twin: TestTwin;
let browser: Browser;

beforeAll(async () => {
  [twin, browser] = await Promise.all([startPortalTwin(), launchBrowser()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await twin?.close();
});

async function tab(width: number = WIDTHS.desktop): Promise<Page> {
  const { page } = await newTab(browser, twin.webBaseUrl, width);
  // What the page showed when a step failed, for the person reading the failure.
  onTestFailed(({ task }) => screenshot(page, `failed-${task.name.split(':')[0]!.replace(/\W+/g, '-')}`));
  return page;
}

describe('the tenant portal', { timeout: 120_000 }, () => {
  it('journey 1: browse car parks, sign up, log in, add a card, rent, and see the plate go live at the barrier', async () => {
    const page = await tab();
    await page.goto('/');
    await expectText(page, '[data-testid=carpark-list]', /Northgate Multi-Storey/);
    const northgate = page.getByRole('article', { name: 'Northgate Multi-Storey' });
    await expectText(page, 'article', /£120\.00/);
    expect(await northgate.textContent()).toMatch(/12 Northgate Street, Leeds, LS1 4AB/);
    await checkPage(page, 'carparks');
    const rent = page.getByRole('link', { name: 'Rent a space at Northgate Multi-Storey' });
    await expectReachableByKeyboard(page, rent);
    await page.keyboard.press('Enter');

    // Not logged in: to log in, and from there to sign up, keeping the way back to renting.
    await heading(page, 'Log in');
    await checkPage(page, 'login');
    await page.getByRole('link', { name: 'Create an account' }).click();
    const email = newEmail('renter');
    await checkPage(page, 'signup');
    await signUp(page, email);
    await logIn(page, email);

    await heading(page, 'Rent a space at Northgate Multi-Storey');
    await page.getByRole('heading', { name: 'First, add a card' }).waitFor();
    await page.locator('form.card-form').getByRole('radio').first().waitFor();
    await checkPage(page, 'rent-add-card');
    await addCard(page, /works|succeeds|visa/i, /save card and continue/i);

    await page.getByLabel('Number plate').fill('ao51 xyz');
    await page.getByRole('radio', { name: /Car: £120\.00 a month/ }).check();
    expect(await page.getByTestId('monthly-price').textContent()).toBe('£120.00 a month');
    expect(await page.getByTestId('first-charge').textContent()).toMatch(/^£120\.00 today, to your .+ card ending \d{4}$/);
    await checkPage(page, 'rent-summary');
    await page.getByRole('button', { name: 'Confirm and pay £120.00' }).click();

    await page.getByTestId('plate-warnings').waitFor();
    expect(await page.getByTestId('plate-warnings').textContent()).toContain('Check character 2: O (letter) or 0 (zero)?');
    await expectText(page, '[data-testid=tenancy-status]', /^Active$/, 30_000);
    expect(await expectText(page, '[data-testid=barrier]', /Live at the barrier since \d\d:\d\d/, 30_000)).toMatch(
      /^Live at the barrier since \d\d:\d\d today$/,
    );
    await checkPage(page, 'tenancy-active');
  });

  it('journey 4: account — 422 messages by their fields, profile, password, log out, forgotten password, lock-out', async () => {
    const page = await tab();
    const email = newEmail('account');
    await page.goto('/signup');
    await page.getByLabel('Full name').fill('Ada Account');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    // The API's 422 names the field: its message sits by the field, which is marked invalid.
    const password = page.getByLabel('Password', { exact: true });
    await page.locator('input[name=password][aria-invalid=true]').waitFor();
    const described = await password.getAttribute('aria-describedby');
    expect(await page.locator(`[id="${described?.split(' ').at(-1)}"]`).textContent()).toMatch(/\w/);
    await checkPage(page, 'signup-invalid');
    await password.fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await logIn(page, email);

    await page.getByRole('link', { name: 'Account' }).click();
    await heading(page, 'Your account');
    await checkPage(page, 'account');
    await page.getByLabel('Full name').fill('Ada Lovelace');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expectText(page, '[role=status]', /Your profile is saved/);

    await page.getByLabel('Current password').fill('not-my-password-1');
    await page.getByLabel('New password').fill('Another-parking-2027');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.locator('[role=alert]').waitFor();
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expectText(page, '[role=status]', /Your password is changed/);

    await page.getByRole('button', { name: 'Log out' }).first().click();
    await expectText(page, '[role=status]', /You are logged out/);
    await logIn(page, email, 'Another-parking-2027');
    await page.getByRole('button', { name: 'Log out' }).first().click();

    // Forgotten password: the email's link opens the reset page, and the new password works.
    await page.getByRole('link', { name: 'Forgotten your password?' }).click();
    await heading(page, 'Reset your password');
    await checkPage(page, 'forgot-password');
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send me a reset link' }).click();
    await expectText(page, '[role=status]', /we have sent it a link/);
    const message = await emailTo(twin, email, /password/i);
    const [link] = portalLinks(twin, message).filter((url) => url.includes('/reset-password'));
    expect(link).toBeDefined();
    await page.goto(link!);
    await heading(page, 'Choose a new password');
    await checkPage(page, 'reset-password');
    await page.getByLabel('New password').fill('Third-parking-2028');
    await page.getByRole('button', { name: 'Save password' }).click();
    await expectText(page, '[role=status]', /Your password is changed/);
    await logIn(page, email, 'Third-parking-2028');
    await page.getByRole('button', { name: 'Log out' }).first().click();

    // Too many wrong passwords: the lock-out message, with the way out.
    await page.goto('/login');
    const lockedOut = page.getByTestId('lockout');
    for (let attempt = 1; attempt <= 6 && !(await lockedOut.isVisible()); attempt++) {
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(`wrong-password-${attempt}`);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.locator('[role=alert]').filter({ hasText: /./ }).first().waitFor();
      await page.getByRole('button', { name: 'Log in' }).waitFor();
    }
    await lockedOut.waitFor();
    expect(await lockedOut.textContent()).toMatch(/Too many attempts/);
    await checkPage(page, 'login-locked-out');
  });

  it('journey 5: the contact form reaches the car park', async () => {
    const page = await tab();
    await page.goto('/contact-us');
    await heading(page, 'Contact us');
    await page.getByLabel('About a car park (optional)').selectOption({ label: 'Riverside Yard' });
    await checkPage(page, 'contact');
    await page.getByLabel('Your name').fill('Casey Contact');
    await page.getByLabel('Email').fill('casey@example.com');
    await page.getByLabel('Message').fill('Is there a height limit for vans?');
    const send = page.getByRole('button', { name: 'Send message' });
    await expectReachableByKeyboard(page, send);
    await page.keyboard.press('Enter');
    await expectText(page, '[role=status]', /your message is on its way/);
    const message = await emailTo(twin, 'riverside@northgate.local', /./);
    expect(message.text).toContain('Is there a height limit for vans?');
  });
});

export { checkedPages, newTenant, problemsOf, screenshot };
