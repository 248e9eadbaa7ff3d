/**
 * The tenant portal end to end: Chromium against the whole twin (API, workflows, Stripe stand-in
 * with its Stripe.js-compatible script, barrier simulator, SES outbox). One test per journey of
 * the portal, in the order a tenant meets them; the last ones open every email link the journeys
 * produced, and look at every page at a phone's and a desktop's width.
 */
import { describe, expect, it } from 'vitest';
import { checkedPages, checkPage, expectAccessible, problemsOf, screenshot, WIDTHS } from './browser';
import {
  addCard,
  apiTenantWithCard,
  apiToken,
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
import { DEMO_PASSWORD } from './portal-twin';
import { portalSession } from './session';
import { pollUntil } from '../../local/ports';
import { stripeOf } from '../integration/tenancy-helpers';

const portal = portalSession('portal');
const { tab } = portal;

const tenantWithCard = async (label: string): Promise<string> => (await apiTenantWithCard(portal.twin, label)).email;
const tokenOf = (email: string, password = PASSWORD) => apiToken(portal.twin, email, password);

async function rentThroughApi(email: string, plate: string): Promise<string> {
  const carparks = (await portal.twin.request('GET', '/carparks')).json as { items: { carparkId: string; name: string }[] };
  const northgate = carparks.items.find((c) => c.name === 'Northgate Multi-Storey')!;
  const token = await tokenOf(email);
  const rented = await portal.twin.request('POST', '/tenancies', { token, body: { carparkId: northgate.carparkId, vehicleType: 'car', plate } });
  expect(rented.status, rented.text).toBe(202);
  const { tenancyId } = (rented.json as { tenancy: { tenancyId: string } }).tenancy;
  await pollUntil(
    async () => ((await portal.twin.request('GET', `/tenancies/${tenancyId}`, { token })).json as { status: string }).status === 'active',
    { timeoutMs: 30_000, intervalMs: 200, describeFailure: () => `tenancy ${tenancyId} never became active` },
  );
  return tenancyId;
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
    // From Stripe's preview: a first space is a month now, and the same at each renewal.
    await expectText(page, '[data-testid=quote-now]', /^£120\.00 to your .+ card ending \d{4}$/);
    expect(await page.getByTestId('quote-renewal').textContent()).toMatch(/^£120\.00 on \w+,? \d{1,2} [A-Z][a-z]+ \d{4}, for all your spaces$/);
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

  it('journey 1: book a space from a later day — the first charge on that day, booked until then, the booking cancelled with nothing charged', async () => {
    const email = await tenantWithCard('later-start');
    const carparks = (await portal.twin.request('GET', '/carparks')).json as { items: { carparkId: string; name: string }[] };
    const northgate = carparks.items.find((c) => c.name === 'Northgate Multi-Storey')!;
    const page = await tab();
    await page.goto(`/rent/${northgate.carparkId}`);
    await logIn(page, email);
    await heading(page, 'Rent a space at Northgate Multi-Storey');

    // A month ahead: the twin's waits pass a month in a minute, so it stays booked through this test.
    const start = new Date(Date.now() + 30 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    await page.getByLabel('Number plate').fill('LT24 RTS');
    await page.getByRole('radio', { name: /Car: £120\.00 a month/ }).check();
    await page.getByLabel('Start date').fill(start);
    const firstCharge = (await page.getByTestId('first-charge').textContent()) ?? '';
    expect(firstCharge).toMatch(/^£120\.00 on (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),? \d{1,2} [A-Z][a-z]+ \d{4}, to your/);
    await page.getByRole('button', { name: 'Confirm and pay £120.00' }).click();

    await expectText(page, '[data-testid=tenancy-status]', /^Booked$/, 30_000);
    expect(await page.getByRole('status').filter({ hasText: 'your space is booked' }).textContent()).toMatch(/nothing is charged before then/);
    const summary = (await page.getByRole('region', { name: 'Summary' }).textContent()) ?? '';
    expect(summary).toMatch(/Starts/);
    expect(summary).toMatch(/Added to the barrier on/);
    expect(await page.getByTestId('plate-warnings').textContent(), 'a booked plate is put right by booking again').toMatch(/cancel the booking below and book again/);
    await checkPage(page, 'tenancy-booked');
    const token = await tokenOf(email);
    const billing = (await portal.twin.request('GET', '/billing', { token })).json as { recentInvoices: unknown[] };
    expect(billing.recentInvoices, 'nothing charged before the start').toEqual([]);

    await page.getByRole('button', { name: 'Cancel booking' }).click();
    await page.getByRole('button', { name: 'Yes, cancel the booking' }).click();
    await expectText(page, '[data-testid=tenancy-status]', /^Ended$/, 30_000);
    await page.getByRole('link', { name: 'All my tenancies' }).click();
    await expectText(page, '[data-testid=tenancy-list]', /Northgate Multi-Storey: LT24RTS/);
    expect(await page.getByTestId('tenancy-list').textContent()).toMatch(/Ended/);
  });

  it('journey 1: rent with a card whose bank asks to confirm the first payment — the space held, the payment confirmed in the portal.browser, the plate live', async () => {
    const email = newEmail('confirm-first');
    expect((await portal.twin.request('POST', '/users', { body: { email, password: PASSWORD, name: 'Sol Secure', accountType: 'individual' } })).status).toBe(201);
    const token = await tokenOf(email);
    // Stripe's 3184 test card: the bank asks the card holder to authenticate every payment.
    expect((await portal.twin.request('PATCH', '/billing', { token, body: { defaultPaymentMethod: 'pm_card_authenticationRequired' } })).status).toBe(200);
    const carparks = (await portal.twin.request('GET', '/carparks')).json as { items: { carparkId: string; name: string }[] };
    const northgate = carparks.items.find((c) => c.name === 'Northgate Multi-Storey')!;
    const rented = await portal.twin.request('POST', '/tenancies', { token, body: { carparkId: northgate.carparkId, vehicleType: 'car', plate: 'CF24 RST' } });
    expect(rented.status, rented.text).toBe(202);
    const { tenancyId } = (rented.json as { tenancy: { tenancyId: string } }).tenancy;

    const page = await tab();
    await page.goto(`/my/tenancies/${tenancyId}`);
    await logIn(page, email);
    const ask = page.getByTestId('confirm-payment');
    await ask.waitFor({ timeout: 30_000 });
    expect(await ask.textContent()).toMatch(/Your bank asks you to confirm the first payment\. Your space is held until/);
    await checkPage(page, 'tenancy-confirm-payment');
    await ask.getByRole('link', { name: 'Confirm the payment' }).click();
    await heading(page, 'Confirm your payment');
    await page.getByRole('button', { name: 'Confirm and pay £120.00' }).click();
    await page.getByRole('dialog', { name: 'Test card authentication' }).getByRole('button', { name: 'Complete authentication' }).click();
    await expectText(page, '[data-testid=payment-outcome]', /is paid/, 30_000);

    await page.getByRole('link', { name: 'My tenancies', exact: true }).first().click();
    await page.getByRole('link', { name: /CF24RST/ }).click();
    await expectText(page, '[data-testid=tenancy-status]', /^Active$/, 30_000);
    await expectText(page, '[data-testid=barrier]', /^Live at the barrier since/, 30_000);
    expect(await page.getByTestId('confirm-payment').count()).toBe(0);
  });

  it('journey 1: rent with a card whose bank asks to confirm the first payment, then cancel the rental instead — nothing charged, the space given back', async () => {
    const email = newEmail('withdraw-first');
    expect((await portal.twin.request('POST', '/users', { body: { email, password: PASSWORD, name: 'Wren Withdraw', accountType: 'individual' } })).status).toBe(201);
    const token = await tokenOf(email);
    expect((await portal.twin.request('PATCH', '/billing', { token, body: { defaultPaymentMethod: 'pm_card_authenticationRequired' } })).status).toBe(200);
    const carparks = (await portal.twin.request('GET', '/carparks')).json as { items: { carparkId: string; name: string }[] };
    const northgate = carparks.items.find((c) => c.name === 'Northgate Multi-Storey')!;
    const rented = await portal.twin.request('POST', '/tenancies', { token, body: { carparkId: northgate.carparkId, vehicleType: 'car', plate: 'CW24 RST' } });
    expect(rented.status, rented.text).toBe(202);
    const { tenancyId } = (rented.json as { tenancy: { tenancyId: string } }).tenancy;

    const page = await tab();
    await page.goto(`/my/tenancies/${tenancyId}`);
    await logIn(page, email);
    await page.getByTestId('confirm-payment').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Cancel rental' }).click();
    await checkPage(page, 'tenancy-cancel-unconfirmed');
    await page.getByRole('button', { name: 'Yes, cancel the rental' }).click();
    await expectText(page, '[data-testid=tenancy-status]', /^Could not start$/, 30_000);
    expect(await page.locator('main').textContent()).toMatch(/You cancelled it before confirming the first payment/);
    expect(await page.getByTestId('confirm-payment').count()).toBe(0);
    expect(await page.getByTestId('barrier').textContent()).toBe('Not let in: the tenancy did not start');
    await checkPage(page, 'tenancy-cancelled-unconfirmed');
  });

  it('journey 2: my tenancies — list and detail, change plate, change vehicle type seeing the new price, cancel, undo', async () => {
    const email = await tenantWithCard('tenancies');
    const tenancyId = await rentThroughApi(email, 'HX72 KTY');
    const page = await tab();
    await page.goto('/login');
    await logIn(page, email);

    await page.getByRole('link', { name: 'My tenancies' }).click();
    await heading(page, 'My tenancies');
    await expectText(page, '[data-testid=tenancy-list]', /Northgate Multi-Storey: HX72KTY/);
    await checkPage(page, 'tenancies');
    await page.getByRole('link', { name: /Northgate Multi-Storey: HX72KTY/ }).click();
    await expectText(page, '[data-testid=tenancy-status]', /^Active$/, 30_000);
    const summary = await page.getByRole('region', { name: 'Summary' }).textContent();
    expect(summary).toMatch(/Car/);
    expect(summary).toMatch(/£120\.00 a month/);
    expect(summary).toMatch(/Live at the barrier since/);
    // The next renewal from the API, in words in the car park's time zone.
    expect(await page.getByTestId('renews-at').textContent()).toMatch(/^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),? \d{1,2} [A-Z][a-z]+ \d{4}$/);
    await checkPage(page, 'tenancy');

    await page.getByLabel('New plate').fill('hx72 kt8');
    await page.getByRole('button', { name: 'Change plate' }).click();
    await page.getByTestId('plate-warnings').waitFor();
    await page.getByRole('heading', { level: 1, name: /HX72KT8/ }).waitFor({ timeout: 30_000 });

    await page.getByLabel('New vehicle type').selectOption({ label: 'Electric vehicle: £140.00 a month' });
    expect(await page.getByTestId('new-price').textContent()).toBe('New price: £140.00 a month instead of £120.00.');
    // Shown before confirming, from Stripe's preview: the new type's days charged now, the old one's credited.
    const chargedNow = await expectText(page, '[data-testid=quote-now]', /^£\d+\.\d\d$/);
    expect(await page.getByTestId('quote-credit').textContent()).toMatch(/^£\d+\.\d\d for the unused days, taken off your next renewal$/);
    await checkPage(page, 'tenancy-vehicle-quote');
    await page.getByRole('button', { name: 'Change to Electric vehicle at £140.00 a month' }).click();
    await page.getByRole('region', { name: 'Summary' }).filter({ hasText: 'Electric vehicle' }).waitFor();
    // What was shown is what was charged.
    const billing = (await portal.twin.request('GET', '/billing', { token: await tokenOf(email) })).json as { recentInvoices: { amountPaid: number }[] };
    expect(`£${(billing.recentInvoices[0]!.amountPaid / 100).toFixed(2)}`).toBe(chargedNow);

    const cancel = page.getByRole('button', { name: 'Cancel tenancy' });
    await expectReachableByKeyboard(page, cancel);
    await page.keyboard.press('Enter');
    await expectText(page, '[data-testid=quote-ends]', /the barrier lets you in until then/);
    expect(await page.getByTestId('quote-now').textContent()).toBe('Nothing');
    expect(await page.getByTestId('quote-renewal').textContent()).toBe('None: nothing more is charged');
    await page.getByRole('button', { name: 'Yes, cancel' }).click();
    const notice = await expectText(page, '[data-testid=cancel-notice]', /ends on/, 30_000);
    // The end date in words, in the car park's time zone, never an ISO timestamp.
    expect(notice).toMatch(/ends on (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),? \d{1,2} [A-Z][a-z]+ \d{4}\./);
    expect(notice).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    await checkPage(page, 'tenancy-cancelling');

    await page.getByRole('button', { name: 'Undo cancellation and keep my space' }).click();
    await expectText(page, '[data-testid=tenancy-status]', /^Active$/);
    await expectText(page, '[role=status]', /Your cancellation is undone/);
    expect((await portal.twin.request('GET', `/tenancies/${tenancyId}`, { token: await tokenOf(email) })).json).toMatchObject({
      status: 'active',
      plate: 'HX72KT8',
      vehicleType: 'ev',
    });

    // The timeline tells it all in order, in words.
    const timeline = page.getByTestId('timeline').locator('li');
    await expect
      .poll(() => timeline.evaluateAll((items) => items.map((li) => li.getAttribute('data-kind'))), { timeout: 15_000 })
      .toEqual(expect.arrayContaining(['rented', 'activated', 'plate_changed', 'vehicle_change_requested', 'cancelled', 'cancellation_undone']));
    const kinds = await timeline.evaluateAll((items) => items.map((li) => li.getAttribute('data-kind')));
    expect(kinds.indexOf('plate_changed')).toBeLessThan(kinds.indexOf('vehicle_change_requested'));
    expect(kinds.indexOf('cancelled')).toBeLessThan(kinds.indexOf('cancellation_undone'));
    const words = await timeline.allTextContents();
    expect(words).toContainEqual(expect.stringContaining('Plate changed: HX72KTY to HX72KT8'));
    expect(words).toContainEqual(expect.stringContaining('Vehicle type change asked for: Car to Electric vehicle'));
    await checkPage(page, 'tenancy-timeline');
  });

  it('journey 3: billing — card on file, invoices with period, amount, status and link; corporate Xero invoices', async () => {
    const email = await tenantWithCard('billing');
    await rentThroughApi(email, 'LR19 PKD');
    const page = await tab();
    await page.goto('/my/billing');
    await logIn(page, email);
    await heading(page, 'Billing');
    expect(await page.getByTestId('card-on-file').textContent()).toMatch(/VISA ending 4242, expires \d\d\/\d{4}/);
    const invoices = page.getByRole('region', { name: 'Invoices' });
    await invoices.getByRole('row').nth(1).waitFor();
    const row = (await invoices.getByRole('row').nth(1).textContent()) ?? '';
    expect(row).toMatch(/£120\.00/);
    expect(row).toMatch(/Paid/);
    expect(row).toMatch(/^\d{1,2} [A-Z][a-z]{2}/);
    await checkPage(page, 'billing');

    // A company account sees its Xero invoices, each with its online invoice.
    await page.getByRole('button', { name: 'Log out' }).first().click();
    await page.goto('/my/billing');
    await logIn(page, 'fleet@carpark.local', DEMO_PASSWORD);
    const xero = page.getByRole('region', { name: 'Company invoices' });
    await xero.getByRole('row').nth(1).waitFor();
    expect(await xero.getByRole('link').count()).toBeGreaterThan(0);
    await checkPage(page, 'billing-corporate');
  });

  it('journey 3: an unpaid renewal — the banner, pay now declined by the card on file, a new card that pays it', async () => {
    const email = await tenantWithCard('unpaid');
    await rentThroughApi(email, 'DU17 NPD');
    const token = await tokenOf(email);
    const { customerId } = (await portal.twin.request('GET', '/billing', { token })).json as { customerId: string };
    const stripe = stripeOf(portal.twin);
    const clockId = ((await stripe.customers.retrieve(customerId)) as { test_clock: string }).test_clock;
    expect((await portal.twin.request('PATCH', '/billing', { token, body: { defaultPaymentMethod: 'pm_card_chargeCustomerFail' } })).status).toBe(200);
    const [subscription] = (await stripe.subscriptions.list({ customer: customerId })).data;
    await stripe.testHelpers.testClocks.advance(clockId, { frozen_time: subscription!.items.data[0]!.current_period_end + 3_600 + 60 }); // past the renewal's draft hour
    await pollUntil(async () => (await stripe.invoices.list({ customer: customerId, status: 'open' })).data[0], {
      timeoutMs: 15_000,
      describeFailure: () => 'the renewal was not left open',
    });

    const page = await tab();
    await page.goto('/my/billing');
    await logIn(page, email);
    const banner = page.getByTestId('unpaid-banner');
    await banner.waitFor();
    await checkPage(page, 'billing-unpaid');
    const payNow = banner.getByRole('button', { name: /^Pay £\d+\.\d\d now$/ });
    await expectReachableByKeyboard(page, payNow);
    await page.keyboard.press('Enter');
    await expectText(page, '[data-testid=unpaid-banner] [role=alert]', /declined/i);

    await page.getByRole('button', { name: 'Replace card' }).click();
    await addCard(page, /succeeds/i, /use this card/i);
    // The new card pays what is owed: the banner goes, and the invoice reads as paid.
    await banner.waitFor({ state: 'detached', timeout: 30_000 });
    await checkPage(page, 'billing-paid-with-new-card');
  });

  it('journey 3: a renewal the bank wants authenticated — the email asks, the bank’s check in the browser fails then passes, the invoice is paid', async () => {
    const email = await tenantWithCard('authenticate');
    await rentThroughApi(email, 'SC17 AUT');
    const token = await tokenOf(email);
    const { customerId } = (await portal.twin.request('GET', '/billing', { token })).json as { customerId: string };
    const stripe = stripeOf(portal.twin);
    const clockId = ((await stripe.customers.retrieve(customerId)) as { test_clock: string }).test_clock;
    // Stripe's 3184 test card: the bank asks the card holder to authenticate every payment.
    expect((await portal.twin.request('PATCH', '/billing', { token, body: { defaultPaymentMethod: 'pm_card_authenticationRequired' } })).status).toBe(200);
    const [subscription] = (await stripe.subscriptions.list({ customer: customerId })).data;
    await stripe.testHelpers.testClocks.advance(clockId, { frozen_time: subscription!.items.data[0]!.current_period_end + 3_600 + 60 });

    const asked = await emailTo(portal.twin, email, /^Please confirm your payment of £120\.00$/);
    const [link] = portalLinks(portal.twin, asked).filter((href) => href.includes('/my/billing/authenticate/'));
    expect(link, asked.text ?? '').toBeDefined();
    const page = await tab();
    await page.goto(link!);
    await logIn(page, email);
    await heading(page, 'Confirm your payment');
    await checkPage(page, 'authenticate-payment');

    const confirm = page.getByRole('button', { name: 'Confirm and pay £120.00' });
    await confirm.click();
    const dialog = page.getByRole('dialog', { name: 'Test card authentication' });
    await dialog.getByRole('button', { name: 'Fail authentication' }).click();
    await expectText(page, '[role=alert]', /Nothing was charged/);

    await confirm.click();
    await dialog.getByRole('button', { name: 'Complete authentication' }).click();
    await expectText(page, '[data-testid=payment-outcome]', /is paid/, 30_000);
    await checkPage(page, 'authenticate-paid');
    const billing = (await portal.twin.request('GET', '/billing', { token })).json as { recentInvoices: { status: string }[] };
    expect(billing.recentInvoices.map((invoice) => invoice.status)).not.toContain('open');
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

    await page.getByRole('link', { name: 'Account', exact: true }).click();
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
    const message = await emailTo(portal.twin, email, /password/i);
    const [link] = portalLinks(portal.twin, message).filter((url) => url.includes('/reset-password'));
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
    expect(await lockedOut.textContent()).toMatch(/Logging in is paused/);
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
    const message = await emailTo(portal.twin, 'riverside@northgate.local', /./);
    expect(message.text).toContain('Is there a height limit for vans?');
  });

  // One page and an accessibility check per link: as many links as the journeys sent emails with.
  it('every link of every email the journeys produced lands on a page of the portal that renders', { timeout: 300_000 }, async () => {
    const messages = await portal.twin.outbox.list();
    const links = [...new Set(messages.flatMap((message) => portalLinks(portal.twin, message)))];
    // The reset email at least; receipts and notices add theirs.
    expect(links.length, `emails: ${messages.map((m) => m.subject).join('; ')}`).toBeGreaterThan(0);
    for (const link of links) {
      const page = await tab();
      await page.goto(link);
      const h1 = page.getByRole('heading', { level: 1 });
      await h1.waitFor();
      expect(await h1.textContent(), link).not.toMatch(/not found/i);
      const landed = new URL(page.url());
      const wanted = new URL(link);
      // Pages for the account holder ask to log in first, and bring the reader back.
      if (landed.pathname === '/login' && wanted.pathname !== '/login') {
        expect(landed.searchParams.get('next'), link).toBe(`${wanted.pathname}${wanted.search}`);
      } else {
        expect(landed.pathname, link).toBe(wanted.pathname);
      }
      await expectAccessible(page, link);
      expect(problemsOf(page), link).toEqual([]);
      await page.context().close();
    }
  });

  it('lays out every page at 375 px and 1280 px without sideways scrolling', { timeout: 400_000 }, async () => {
    const email = await tenantWithCard('layout');
    const tenancyId = await rentThroughApi(email, 'YK21 ABC');
    const carparks = (await portal.twin.request('GET', '/carparks')).json as { items: { carparkId: string }[] };
    const pages = {
      public: ['/', '/login', '/signup', '/forgot-password', '/reset-password?token=0123456789abcdef0123', '/contact-us', '/no-such-page'],
      tenant: ['/my/tenancies', `/my/tenancies/${tenancyId}`, '/my/billing', '/my/account', '/my/waitlist', '/become-operator', `/rent/${carparks.items[0]!.carparkId}`],
    };
    for (const [device, width] of Object.entries(WIDTHS)) {
      const page = await tab(width);
      for (const path of [...pages.public, 'log in', ...pages.tenant]) {
        if (path === 'log in') {
          await page.goto('/login');
          await logIn(page, email);
          continue;
        }
        await page.goto(path);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await page.locator('[role=status]').filter({ hasText: /^Loading/ }).waitFor({ state: 'detached' });
        const overflow = await page.evaluate('document.scrollingElement.scrollWidth - window.innerWidth');
        expect(overflow, `${path} at ${width} px`).toBeLessThanOrEqual(0);
        const name = `${device}-${path.replace(/\?.*/, '').replace(/tn_\w+/, 'tenancy').replace(/cp_\w+/, 'carpark').replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'home'}`;
        await checkPage(page, name);
      }
      await page.context().close();
    }
  });
});

export { checkedPages, newTenant, screenshot };
