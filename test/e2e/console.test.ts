/**
 * The operator and admin console end to end: Chromium against the whole twin with the demo data
 * (operator Northgate with two car parks, an admin, a tenant). Who may open it, an operator's car
 * parks and their editing, the tenancies of a car park page by page, plate look-up and the admin's
 * user list. axe-core checks every page; screenshots go to test/e2e/artifacts/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { TestTwin } from '../support/twin';
import { checkPage, launchBrowser, newTab, screenshot } from './browser';
import { expectText, heading, logIn } from './journeys';
import { DEMO_PASSWORD, startPortalTwin } from './portal-twin';

let twin: TestTwin;
let browser: Browser;

beforeAll(async () => {
  [twin, browser] = await Promise.all([startPortalTwin(), launchBrowser()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await twin?.close();
});

const OPERATOR = 'operator@carpark.local';
const ADMIN = 'admin@carpark.local';
const TENANT = 'tenant@carpark.local';

async function tab(): Promise<Page> {
  const { page } = await newTab(browser, twin.webBaseUrl);
  onTestFailed(({ task }) => screenshot(page, `failed-console-${task.name.slice(0, 40).replace(/\W+/g, '-')}`));
  return page;
}

/** Opens a console page, logging in as `email` on the way (the console sends visitors to log in and back). */
async function openAs(page: Page, email: string, path: string): Promise<void> {
  await page.goto(path);
  await logIn(page, email, DEMO_PASSWORD);
}

describe('the console', { timeout: 120_000 }, () => {
  it('sends an anonymous visitor to log in and back, tells a tenant it is not for their account, and is in the navigation of operators only', async () => {
    const page = await tab();
    await page.goto('/console/carparks');
    await heading(page, 'Log in');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/console/carparks');

    await logIn(page, TENANT, DEMO_PASSWORD);
    await heading(page, 'Not for your account');
    expect(await page.getByTestId('not-for-your-account').textContent()).toMatch(/for car park operators and platform administrators/);
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Console' }).count()).toBe(0);
    await checkPage(page, 'console-not-for-tenant');

    const operator = await tab();
    await openAs(operator, OPERATOR, '/console/carparks');
    await heading(operator, 'My car parks');
    await operator.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Console' }).click();
    await heading(operator, 'Console');
    await checkPage(operator, 'console-home');
  });

  it('shows an operator their car parks with spaces, free spaces and prices in pounds, and adds and edits one with field messages beside the fields', async () => {
    const page = await tab();
    await openAs(page, OPERATOR, '/console/carparks');
    await heading(page, 'My car parks');
    const northgate = page.getByRole('article', { name: 'Northgate Multi-Storey' });
    await northgate.waitFor();
    const carRow = northgate.getByRole('row', { name: /^Car\b/ });
    expect((await carRow.textContent())?.replace(/\s+/g, ' ')).toMatch(/Car\s*120\s*\d+\s*£120\.00/);
    expect(await page.getByRole('article').count()).toBe(2);
    await checkPage(page, 'console-carparks');

    await page.getByRole('link', { name: 'Add a car park' }).click();
    await heading(page, 'Add a car park');
    await page.getByLabel('Name').fill('Canal Wharf');
    await page.getByLabel('Street', { exact: true }).fill('7 Canal Wharf');
    await page.getByLabel('Town or city').fill('Leeds');
    await page.getByLabel('Postcode').fill('LS11 5PS');
    await page.getByLabel('Car spaces').fill('30');
    await page.getByLabel('Car price a month').fill('99.5');
    await page.getByLabel('Support email').fill('not-an-email');
    await page.getByRole('button', { name: 'Add car park' }).click();
    // The API's 422: the site id and the email are named beside their fields.
    const emailError = page.getByLabel('Support email');
    await expect.poll(() => emailError.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.field-error').allTextContents()).toHaveLength(2);
    await checkPage(page, 'console-carpark-new-errors');

    await page.getByLabel('Barrier site id').fill('SP-LEEDS-003');
    await page.getByLabel('Support email').fill('canal@northgate.local');
    await page.getByRole('button', { name: 'Add car park' }).click();
    await heading(page, 'My car parks');
    await expectText(page, '[role=status]', /Canal Wharf is saved/);
    const canal = page.getByRole('article', { name: 'Canal Wharf' });
    expect((await canal.getByRole('row', { name: /^Car\b/ }).textContent())?.replace(/\s+/g, ' ')).toMatch(/30\s*30\s*£99\.50/);

    await canal.getByRole('link', { name: 'Edit Canal Wharf' }).click();
    await heading(page, 'Edit Canal Wharf');
    expect(await page.getByLabel('Car price a month').inputValue()).toBe('99.50');
    await page.getByLabel('Car price a month').fill('twelve');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expectText(page, '.field-error', /Enter an amount such as 120\.00/);
    await page.getByLabel('Car price a month').fill('105');
    await page.getByLabel('Van spaces').fill('4');
    await page.getByRole('button', { name: 'Save changes' }).click();
    // Spaces without a price: the API says so next to the van's price.
    await expectText(page, '.field-error', /Give a price for van/);
    await checkPage(page, 'console-carpark-edit-errors');
    await page.getByLabel('Van price a month').fill('150');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await heading(page, 'My car parks');
    const edited = page.getByRole('article', { name: 'Canal Wharf' });
    await expect.poll(() => edited.getByRole('row', { name: /^Car\b/ }).textContent()).toMatch(/£105\.00/);
    expect((await edited.getByRole('row', { name: /^Van\b/ }).textContent())?.replace(/\s+/g, ' ')).toMatch(/4\s*4\s*£150\.00/);
  });

  it('shows an admin every car park', async () => {
    const page = await tab();
    await openAs(page, ADMIN, '/console/carparks');
    await heading(page, 'Car parks');
    await page.getByRole('article', { name: 'Riverside Yard' }).waitFor();
    const listed = (await twin.request('GET', '/carparks?limit=100')).json as { items: unknown[] };
    expect(await page.getByRole('article').count()).toBe(listed.items.length);
    await checkPage(page, 'console-carparks-admin');
  });
});
