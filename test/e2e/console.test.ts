/**
 * The operator and admin console end to end: Chromium against the whole twin with the demo data
 * (operator Northgate with two car parks, an admin, a tenant). Who may open it, an operator's car
 * parks and their editing, the tenancies of a car park page by page, plate look-up and the admin's
 * user list. axe-core checks every page; screenshots go to test/e2e/artifacts/.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { checkPage, newTab, WIDTHS } from './browser';
import { apiCarpark, apiTenantWithCard, apiToken, emailTo, expectText, heading, logIn, newTenant, PASSWORD, portalLinks } from './journeys';
import { DEMO_PASSWORD } from './portal-twin';
import { portalSession } from './session';

const portal = portalSession('console');
const { tab } = portal;

const OPERATOR = 'operator@carpark.local';
const ADMIN = 'admin@carpark.local';
const TENANT = 'tenant@carpark.local';

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
    // Renting and paying are a tenant's: an operator's navigation has the console instead.
    const main = operator.getByRole('navigation', { name: 'Main' });
    expect(await main.getByRole('link', { name: 'My tenancies' }).count()).toBe(0);
    expect(await main.getByRole('link', { name: 'Billing' }).count()).toBe(0);

    // Logging in from the login page itself leads an operator to the console, a tenant to their tenancies.
    const fresh = await tab();
    await fresh.goto('/login');
    await logIn(fresh, OPERATOR, DEMO_PASSWORD);
    await heading(fresh, 'Console');
    const tenant = await tab();
    await tenant.goto('/login');
    await logIn(tenant, TENANT, DEMO_PASSWORD);
    await tenant.waitForURL(/\/my\/tenancies$/);
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
    // The nightly barrier check, as far as this new car park goes: none yet, or nothing to put right.
    await expectText(page, '[data-testid=barrier-check]', /Not checked yet: the first check runs tonight\.|Last checked .*\. Nothing needed putting right\./);
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
    const listed = (await portal.twin.request('GET', '/carparks?limit=100')).json as { items: unknown[] };
    expect(await page.getByRole('article').count()).toBe(listed.items.length);
    await checkPage(page, 'console-carparks-admin');
  });
});

const tokenOf = (email: string, password: string) => apiToken(portal.twin, email, password);

/** A new tenant with a working card on file, through the API. */
const tenantWithCard = (label: string) => apiTenantWithCard(portal.twin, label, `Renter ${label}`);

async function carparkNamed(name: string): Promise<string> {
  const carparks = (await portal.twin.request('GET', '/carparks?limit=100')).json as { items: { carparkId: string; name: string }[] };
  return carparks.items.find((c) => c.name === name)!.carparkId;
}

describe('tenancies in the console', { timeout: 180_000 }, () => {
  it('lists the tenancies of an operator’s car park a page at a time, filters them by status, and opens one', async () => {
    // 26 tenancies at Riverside Yard, one more than a page, each of its own tenant (as renters come).
    const riverside = await carparkNamed('Riverside Yard');
    const plates = Array.from({ length: 26 }, (_, i) => `RY${String(i).padStart(2, '0')}ABC`);
    for (let batch = 0; batch < plates.length; batch += 6) {
      await Promise.all(
        plates.slice(batch, batch + 6).map(async (plate) => {
          const renter = await tenantWithCard(`riverside-${plate.toLowerCase()}`);
          const rented = await portal.twin.request('POST', '/tenancies', { token: renter.token, body: { carparkId: riverside, vehicleType: 'car', plate } });
          expect(rented.status, rented.text).toBe(202);
        }),
      );
    }

    const page = await tab();
    await openAs(page, OPERATOR, '/console/tenancies');
    await heading(page, 'Tenancies');
    await page.getByLabel('Car park').selectOption({ label: 'Riverside Yard' });
    await page.getByRole('button', { name: 'Show tenancies' }).click();
    const rows = page.getByTestId('console-tenancies').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(25);
    // Each tenancy with its tenant's name, the plate's renter.
    for (const row of await rows.all()) {
      const plate = (await row.getByRole('link').textContent()) ?? '';
      expect(await row.textContent()).toContain(`Renter riverside-${plate.toLowerCase()}`);
    }
    await checkPage(page, 'console-tenancies');

    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByRole('heading', { name: /Page 2/ }).waitFor();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Next page' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await expect.poll(() => rows.count()).toBe(25);

    // Active only: the setup workflows finish behind the page; ask again until they have.
    await page.getByLabel('Status').selectOption({ label: 'Active' });
    await page.getByRole('button', { name: 'Show tenancies' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('status')).toBe('active');
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.getByRole('heading', { name: /Page 1/ }).waitFor();
          return rows.count();
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBeGreaterThan(0);
    for (const status of await rows.locator('.status').allTextContents()) expect(status).toBe('Active');

    const first = rows.first().getByRole('link');
    const plate = (await first.textContent()) ?? '';
    expect(plates).toContain(plate);
    await first.click();
    await heading(page, `Riverside Yard: ${plate}`);
    const facts = (await page.getByTestId('console-tenancy').textContent()) ?? '';
    expect(facts).toMatch(/StatusActive/);
    expect(facts).toMatch(/Vehicle typeCar/);
    expect(facts).toMatch(/Price£95\.00 a month/);
    // The operator reads no accounts: the name the tenancy keeps, and the tenant's id.
    expect(facts).toMatch(new RegExp(`TenantRenter riverside-${plate.toLowerCase()} usr_[0-9a-f]{20}`));
    await checkPage(page, 'console-tenancy');
  });

  it('shows an admin the tenant’s name and email on a tenancy', async () => {
    const riverside = await carparkNamed('Riverside Yard');
    const adminToken = await tokenOf(ADMIN, DEMO_PASSWORD);
    const listed = (await portal.twin.request('GET', `/tenancies?carparkId=${riverside}&limit=1`, { token: adminToken })).json as {
      items: { tenancyId: string }[];
    };
    const page = await tab();
    await openAs(page, ADMIN, `/console/tenancies/${listed.items[0]!.tenancyId}`);
    await expectText(page, '[data-testid=tenant]', /Renter riverside-ry\d\dabc \(riverside-ry\d\dabc-[0-9a-f]{8}@example\.com\)/);
    await checkPage(page, 'console-tenancy-admin');
  });
});

describe('plate look-up in the console', { timeout: 120_000 }, () => {
  it('finds a plate typed with look-alikes, with its tenant, status and whether it is live at the barrier', async () => {
    const northgate = await carparkNamed('Northgate Multi-Storey');
    const renter = await tenantWithCard('lookalike');
    const rented = await portal.twin.request('POST', '/tenancies', { token: renter.token, body: { carparkId: northgate, vehicleType: 'car', plate: 'SO51 BIO' } });
    expect(rented.status, rented.text).toBe(202);

    const page = await tab();
    await openAs(page, OPERATOR, '/console/plates');
    await heading(page, 'Plate look-up');
    await checkPage(page, 'console-plates-empty');
    await page.getByRole('textbox', { name: 'Plate' }).fill('5o51 8i0');
    await page.getByRole('button', { name: 'Look up' }).click();
    await expectText(page, '[data-testid=plate-results] h2', /^1 tenancy on 5O518I0 or its look-alikes$/);
    // Live once the setup workflow has registered the plate: look again until it is.
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.getByTestId('plate-results').locator('tbody tr').first().textContent({ timeout: 15_000 });
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toMatch(/^SO51BIO \(look-alike\)Live\s*Active\s*Renter lookalikeNorthgate Multi-StoreyCar$/);
    await checkPage(page, 'console-plates-found');

    await page.getByRole('textbox', { name: 'Plate' }).fill('!');
    await page.getByRole('button', { name: 'Look up' }).click();
    await expectText(page, '.field-error', /2 to 12 letters and digits/);
    await checkPage(page, 'console-plates-invalid');
  });
});

describe('the barrier from the console', { timeout: 120_000 }, () => {
  it('sends a plate the barrier lost back to it from the tenancy page', async () => {
    const northgate = await carparkNamed('Northgate Multi-Storey');
    const renter = await tenantWithCard('barrier');
    const rented = await portal.twin.request('POST', '/tenancies', { token: renter.token, body: { carparkId: northgate, vehicleType: 'car', plate: 'BL24 RST' } });
    expect(rented.status, rented.text).toBe(202);
    const { tenancyId } = (rented.json as { tenancy: { tenancyId: string } }).tenancy;
    const { carparkRepository } = await import('../../functions/adapters/dynamodb/repositories');
    const siteId = (await carparkRepository.get(northgate))!.smartParkingSiteId;
    const onBarrier = () => portal.twin.integrations.smartParking.whitelist(siteId).some((r) => r.plate === 'BL24RST');
    await expect.poll(onBarrier, { timeout: 30_000, interval: 200 }).toBe(true);
    // The barrier system loses the plate (a hand edit there, say).
    const { getSecretString } = await import('../../functions/adapters/secrets');
    const removed = await fetch(`${portal.twin.integrations.smartParking.url}/v1/sites/${siteId}/plates/BL24RST`, {
      method: 'DELETE',
      headers: { 'x-api-key': await getSecretString(process.env.SMARTPARKING_API_KEY_ID!) },
    });
    expect(removed.status).toBe(204);

    const page = await tab();
    await openAs(page, OPERATOR, `/console/tenancies/${tenancyId}`);
    await heading(page, 'Northgate Multi-Storey: BL24RST');
    await page.getByRole('button', { name: 'Send to the barrier again' }).click();
    await expectText(page, '[role=status]', /BL24RST is on the barrier's list again/);
    expect(onBarrier()).toBe(true);
    // The push is on the tenancy's timeline, made by the operator, after the platform's own registration.
    const timeline = page.getByTestId('timeline').locator('li[data-kind=plate_registered]');
    await expect.poll(() => timeline.allTextContents(), { timeout: 15_000 }).toEqual([
      expect.stringMatching(/BL24RST added to the barrier\s*Platform$/),
      expect.stringMatching(/BL24RST added to the barrier\s*Operator$/),
    ]);
    await checkPage(page, 'console-tenancy-barrier-pushed');
  });
});

describe('a price change from the console', { timeout: 120_000 }, () => {
  it('tells the operator the policy, emails each tenant the new price and the date, and shows it on their tenancy', async () => {
    const operatorToken = await tokenOf(OPERATOR, DEMO_PASSWORD);
    const carparkId = await apiCarpark(portal.twin, operatorToken, {
      name: 'Abbey Lane',
      line1: '3 Abbey Lane',
      postcode: 'LS5 3HP',
      price: 10_000,
      spaces: 5,
      siteId: 'SP-LEEDS-ABBEY',
      supportEmail: 'abbey@northgate.local',
    });
    const renter = await tenantWithCard('reprice');
    const rented = await portal.twin.request('POST', '/tenancies', { token: renter.token, body: { carparkId, vehicleType: 'car', plate: 'AB26 LNE' } });
    expect(rented.status, rented.text).toBe(202);
    const { tenancyId } = (rented.json as { tenancy: { tenancyId: string } }).tenancy;
    const tenancyNow = async () => (await portal.twin.request('GET', `/tenancies/${tenancyId}`, { token: renter.token })).json as { status: string; renewsAt?: string };
    await expect.poll(async () => (await tenancyNow()).status, { timeout: 30_000, interval: 200 }).toBe('active');
    const { renewsAt } = await tenancyNow();

    const page = await tab();
    await openAs(page, OPERATOR, `/console/carparks/${carparkId}/edit`);
    await heading(page, 'Edit Abbey Lane');
    await expectText(page, '#price-policy', /existing tenancies from their next renewal/);
    await page.getByLabel('Car price a month').fill('125');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await heading(page, 'My car parks');
    await expectText(page, '[role=status]', /Abbey Lane is saved\. Its tenancies move to the new prices from their next renewal/);

    const notice = await emailTo(portal.twin, renter.email, /The price of your space at Abbey Lane is changing/);
    expect(notice.text).toMatch(/From your renewal on \w+ \d+ \w+ \d{4}, your car space for AB26LNE costs £125\.00 a month \(it was £100\.00\)/);
    const [link, ...others] = portalLinks(portal.twin, notice);
    expect(others).toEqual([]);
    expect(link).toBe(`${portal.twin.webBaseUrl}/my/tenancies/${tenancyId}`);

    const tenantPage = await tab();
    await tenantPage.goto(link!);
    await logIn(tenantPage, renter.email, PASSWORD);
    const renewal = new Date(renewsAt!).toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });
    await expectText(tenantPage, '[data-testid=price-change]', new RegExp(`£125\\.00 a month from ${renewal}\\s*\\(£100\\.00 until then\\)`));
    await expectText(tenantPage, '[data-testid=timeline] li[data-kind=price_changed]', /The car park's price changed from £100\.00 to £125\.00 a month/);
    await checkPage(tenantPage, 'portal-tenancy-price-change');
  });
});

describe('the dashboard', { timeout: 120_000 }, () => {
  it('shows an operator occupancy, revenue, arrears and churn with a chart, a table and a CSV for each, for all car parks or one', async () => {
    const login = (await portal.twin.request('POST', '/auth/login', { body: { email: OPERATOR, password: DEMO_PASSWORD } })).json as { token: string; user: { operatorId: string } };
    const { token: operatorToken, user: { operatorId } } = login;
    const fromApi = (await portal.twin.request('GET', `/operators/${operatorId}/dashboard`, { token: operatorToken })).json as {
      now: { mrr: number; occupied: { car: number } };
      months: { month: string; revenue: number }[];
    };
    // The tests above rented at Northgate: there is something to show.
    expect(fromApi.now.occupied.car).toBeGreaterThan(0);

    const page = await tab();
    await openAs(page, OPERATOR, '/console');
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Dashboard' }).click();
    await heading(page, 'Dashboard');
    const now = page.getByTestId('dashboard-now');
    await expectText(page, '[data-testid=dashboard-now]', new RegExp(`Car: ${fromApi.now.occupied.car} of \\d+`));
    const pounds = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' }).format(fromApi.now.mrr / 100);
    expect(await now.textContent()).toContain(`Monthly recurring revenue${pounds}`);
    await expect.poll(() => page.locator('.chart-canvas canvas').count()).toBe(4);

    // Each chart's figures as a table, and as CSV with the same numbers the API gave.
    const revenue = page.getByRole('region', { name: 'Revenue collected' });
    await revenue.getByText('The figures').click();
    expect(await page.getByTestId('revenue-table').locator('tbody tr').count()).toBe(12);
    const href = await revenue.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
    const csv = decodeURIComponent(href!.replace(/^data:text\/csv;charset=utf-8,/, '')).trim().split('\r\n');
    expect(csv[0]).toBe('month,Collected');
    expect(csv.slice(1)).toEqual(fromApi.months.map((m) => `${m.month},${(m.revenue / 100).toFixed(2)}`));
    await checkPage(page, 'console-dashboard');

    // One car park.
    await page.getByLabel('Car park', { exact: true }).selectOption({ label: 'Northgate Multi-Storey' });
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('carparkId')).toMatch(/^cp_/);
    await expect.poll(() => page.locator('.chart-canvas canvas').count()).toBe(4);
    await checkPage(page, 'console-dashboard-carpark');
    // Opened by its link, the page names the car park it shows.
    await page.reload();
    await expect.poll(() => page.locator('.chart-canvas canvas').count()).toBe(4);
    const chosen = () => page.getByLabel('Car park', { exact: true }).locator('option:checked').textContent();
    await expect.poll(chosen).toBe('Northgate Multi-Storey');
  });
});

describe('the platform in the console', { timeout: 120_000 }, () => {
  it('shows an admin the totals across operators per currency, each operator’s standing as a table and CSV, and finds an operator by name', async () => {
    const fromApi = (await portal.twin.request('GET', '/platform/dashboard', { token: await tokenOf(ADMIN, DEMO_PASSWORD) })).json as {
      operators: number;
      carparks: number;
      currencies: { currency: string; now: { mrr: number } }[];
      byOperator: { name: string; currency: string; mrr: number }[];
    };
    const gbp = fromApi.currencies.find((c) => c.currency === 'gbp')!;
    // The tests above rented at Northgate: there is something to add up.
    expect(gbp.now.mrr).toBeGreaterThan(0);

    const page = await tab();
    await openAs(page, ADMIN, '/console');
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Platform' }).click();
    await heading(page, 'Platform');
    await expectText(page, '[data-testid=platform-counts]', new RegExp(`^${fromApi.operators} operators?, ${fromApi.carparks} car parks?\\.`));
    const pounds = (minor: number) => new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' }).format(minor / 100);
    const section = page.getByTestId('platform-gbp');
    await expect.poll(() => section.getByTestId('dashboard-now').textContent()).toContain(`Monthly recurring revenue${pounds(gbp.now.mrr)}`);
    await expect.poll(() => section.locator('.chart-canvas canvas').count()).toBe(4);

    // Each operator's row, in the API's order, and the same rows as CSV.
    const rows = page.getByTestId('platform-operators').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(fromApi.byOperator.length);
    expect(await rows.locator('th').allTextContents()).toEqual(fromApi.byOperator.map((o) => o.name));
    const href = await page.getByRole('region', { name: 'Operators by monthly recurring revenue' }).getByRole('link', { name: 'Download CSV' }).getAttribute('href');
    const csv = decodeURIComponent(href!.replace(/^data:text\/csv;charset=utf-8,/, '')).trim().split('\r\n');
    expect(csv[0]).toMatch(/^Operator,Operator id,Currency,/);
    expect(csv.slice(1).map((line) => line.split(',')[6])).toEqual(fromApi.byOperator.map((o) => (o.mrr / 100).toFixed(2)));
    await checkPage(page, 'console-platform');

    // Find the operator by the start of its name, and open its dashboard.
    await page.getByRole('link', { name: 'Find an operator' }).click();
    await heading(page, 'Operators');
    await page.getByLabel('Name starts with').fill('NORTH');
    await page.getByRole('button', { name: 'Search' }).click();
    await expectText(page, '#operators-heading', /Operators whose name starts with “NORTH”, page 1/);
    const found = page.getByTestId('console-operators').locator('tbody tr');
    await expect.poll(() => found.locator('th').allTextContents()).toEqual(['Northgate Parking Ltd']);
    await checkPage(page, 'console-operators-search');
    await found.getByRole('link', { name: /^Dashboard of / }).click();
    await heading(page, 'Dashboard');
    await expect.poll(() => page.locator('.chart-canvas canvas').count()).toBe(4);
    // The operator chosen, by its name.
    const operator = () => page.getByLabel('Operator', { exact: true }).locator('option:checked').textContent();
    await expect.poll(operator).toBe('Northgate Parking Ltd');
  });

  it('is not for operators: the page says so, and the console has no link to it or to the operators', async () => {
    const page = await tab();
    await openAs(page, OPERATOR, '/console/platform');
    await heading(page, 'Not for your account');
    expect(await page.getByTestId('not-for-your-account').textContent()).toMatch(/administrators only/);
    await page.getByRole('link', { name: 'Back to the console' }).click();
    await heading(page, 'Console');
    const nav = page.getByRole('navigation', { name: 'Console' });
    await expect.poll(() => nav.getByRole('link').count()).toBeGreaterThan(0);
    expect(await nav.getByRole('link', { name: /^(Platform|Operators)$/ }).count()).toBe(0);
  });
});

describe('finding and exporting tenancies', { timeout: 120_000 }, () => {
  it('finds a tenancy by a plate as read, narrows the list to arrears, and downloads the list as CSV', async () => {
    const northgate = await carparkNamed('Northgate Multi-Storey');
    const page = await tab();
    await openAs(page, OPERATOR, `/console/tenancies?carparkId=${northgate}`);
    await heading(page, 'Tenancies');

    // The plate rented by the barrier test above, as a camera might read it.
    await page.getByLabel('Find by plate, or the start of the tenant’s email or name').fill('bl24 r5t');
    await page.getByRole('button', { name: 'Find' }).click();
    await expect.poll(() => page.getByTestId('tenancy-search').locator('tbody tr').allTextContents(), { timeout: 15_000 }).toEqual([
      expect.stringMatching(/^BL24RST.*plate$/),
    ]);
    await checkPage(page, 'console-tenancies-search');

    // The whole list of the car park, read a page at a time into one file.
    const token = await tokenOf(OPERATOR, DEMO_PASSWORD);
    const listed = (await portal.twin.request('GET', `/tenancies?carparkId=${northgate}&limit=100`, { token })).json as { items: { plate: string; tenantName?: string }[] };
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download these tenancies as CSV' }).click()]);
    const { readFile } = await import('node:fs/promises');
    const lines = (await readFile((await download.path())!, 'utf8')).trim().split('\r\n');
    expect(lines[0]).toBe('tenancyId,plate,otherPlates,status,vehicleType,userId,tenantName,monthlyPrice,currency,startDate,renewsAt,endsAt,barrier,arrears,arrearsSince');
    expect(lines.slice(1).map((l) => l.split(',')[1]).sort()).toEqual(listed.items.map((t) => t.plate).sort());
    // Each with its tenant's name (none of these has a comma).
    expect(listed.items.every((t) => t.tenantName)).toBe(true);
    const plateAndName = (line: string) => {
      const cells = line.split(',');
      return `${cells[1]} ${cells[6]}`;
    };
    expect(lines.slice(1).map(plateAndName).sort()).toEqual(listed.items.map((t) => `${t.plate} ${t.tenantName}`).sort());
    await expectText(page, '[data-testid=export-done]', new RegExp(`^${listed.items.length} tenancies exported\\.$`));

    // Nobody here owes anything: the arrears filter leaves the list empty.
    await page.getByLabel('Only tenancies in arrears').check();
    await page.getByRole('button', { name: 'Show tenancies' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('inArrears')).toBe('true');
    await expectText(page, 'main', /No tenancies here\./);
  });
});

describe('users in the console', { timeout: 120_000 }, () => {
  it('lets an admin page through every account and find one by the start of its email or name', async () => {
    const page = await tab();
    await openAs(page, ADMIN, '/console');
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Users' }).click();
    await heading(page, 'Users');
    const rows = page.getByTestId('console-users').locator('tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    const listed = (await portal.twin.request('GET', '/users?limit=100', { token: await tokenOf(ADMIN, DEMO_PASSWORD) })).json as { items: unknown[] };
    // The renters made by the tests above make more than one page.
    expect(listed.items.length).toBeGreaterThan(25);
    expect(await rows.count()).toBe(25);
    await checkPage(page, 'console-users');
    await page.getByRole('button', { name: 'Next page' }).click();
    await expectText(page, '#users-heading', /page 2$/);
    await expect.poll(() => rows.count()).toBe(Math.min(25, listed.items.length - 25));

    await page.getByLabel('Search for').fill('FLEET');
    await page.getByRole('button', { name: 'Search' }).click();
    await expectText(page, '#users-heading', /Users whose email starts with “FLEET”, page 1/);
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringMatching(/^Fran Fleet \(Acme Logistics\)fleet@carpark\.localTenantCompany/)]);

    await page.getByLabel('Search by').selectOption({ label: 'Start of the name' });
    await page.getByLabel('Search for').fill('omar');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringMatching(/^Omar Operatoroperator@carpark\.localOperatorCompany/)]);
    await checkPage(page, 'console-users-search');
  });

  it('lets an admin link a company account to a Xero contact chosen from Xero’s contacts', async () => {
    const page = await tab();
    await openAs(page, ADMIN, '/console/users?by=email&q=fleet');
    await page.getByRole('link', { name: 'Xero contact for Fran Fleet (Acme Logistics)' }).click();
    await heading(page, 'Xero contact for Fran Fleet (Acme Logistics)');
    const rows = page.getByTestId('xero-contacts').locator('tbody tr');
    // Every active contact of the demo organisation; the archived one is not offered.
    await expect.poll(() => rows.allTextContents()).toEqual([
      'Acme Logistics Ltdaccounts@acme-logistics.exampleLink',
      'Northwind Freight Ltdap@northwind.exampleLink',
    ]);
    await checkPage(page, 'console-xero-contact');

    await page.getByLabel('Name, email or contact number').fill('initech');
    await page.getByRole('button', { name: 'Search Xero' }).click();
    await expectText(page, 'main', /No active Xero contacts found/);

    await page.getByLabel('Name, email or contact number').fill('NORTHWIND');
    await page.getByRole('button', { name: 'Search Xero' }).click();
    await expectText(page, '#contacts-heading', /Xero contacts matching “NORTHWIND”, page 1/);
    await page.getByRole('button', { name: 'Link to Northwind Freight Ltd' }).click();
    await expectText(page, '[role=status]', /Fran Fleet \(Acme Logistics\) is now invoiced as Northwind Freight Ltd in Xero/);
    await checkPage(page, 'console-xero-contact-linked');
    const fleet = await tokenOf('fleet@carpark.local', DEMO_PASSWORD);
    const billing = (await portal.twin.request('GET', '/billing', { token: fleet })).json as { xeroInvoices?: { status: string; items: unknown[] } };
    expect(billing.xeroInvoices).toEqual({ status: 'available', items: [] });

    // And back to the contact the demo company is really invoiced as.
    await page.reload();
    await page.getByLabel('Name, email or contact number').fill('acme');
    await page.getByRole('button', { name: 'Search Xero' }).click();
    await page.getByRole('button', { name: 'Link to Acme Logistics Ltd' }).click();
    await expectText(page, '[role=status]', /is now invoiced as Acme Logistics Ltd in Xero/);
    const relinked = (await portal.twin.request('GET', '/billing', { token: fleet })).json as { xeroInvoices?: { items: unknown[] } };
    expect(relinked.xeroInvoices?.items.length).toBeGreaterThan(0);
  });

  it('tells an admin an individual account is not invoiced in Xero', async () => {
    const adminToken = await tokenOf(ADMIN, DEMO_PASSWORD);
    const found = (await portal.twin.request('GET', `/users?email=${encodeURIComponent(TENANT)}`, { token: adminToken })).json as { items: { userId: string }[] };
    const page = await tab();
    await openAs(page, ADMIN, `/console/users/${found.items[0]!.userId}/xero-contact`);
    await expectText(page, '[role=status]', /has an individual account\. Only company accounts are invoiced in Xero\./);
    expect(await page.getByRole('search', { name: 'Xero contacts' }).count()).toBe(0);
  });

  it('is not for operators: no link, and the page says so', async () => {
    const page = await tab();
    await openAs(page, OPERATOR, '/console/users');
    await heading(page, 'Not for your account');
    expect(await page.getByTestId('not-for-your-account').textContent()).toMatch(/administrators only/);
    expect(await page.getByRole('navigation', { name: 'Console' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Back to the console' }).click();
    await heading(page, 'Console');
    expect(await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Users' }).count()).toBe(0);
    await checkPage(page, 'console-users-operator');
  });
});

describe('operator onboarding', { timeout: 180_000 }, () => {
  const publicNames = async () => ((await portal.twin.request('GET', '/carparks?limit=100')).json as { items: { name: string }[] }).items.map((c) => c.name);

  it('takes a tenant’s application in the portal, lets an admin approve it in the console, and the approval email leads the new operator to their car park', async () => {
    const page = await tab();
    const email = await newTenant(page, 'applicant');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account' }).click();
    await heading(page, 'Your account');
    await page.getByRole('link', { name: 'become an operator' }).click();
    await heading(page, 'Become an operator');

    // Sent empty: the API's messages beside the fields.
    await page.getByRole('button', { name: 'Send application' }).click();
    await expect.poll(() => page.getByLabel('Company name').getAttribute('aria-invalid')).toBe('true');
    await checkPage(page, 'become-operator-errors');

    const site = `SP-E2E-${Date.now()}`;
    await page.getByLabel('Company name').fill('Kirkgate Parking Ltd');
    await page.getByLabel('Contact name').fill('Sam Parker');
    await page.getByLabel('Contact phone').fill('+44 113 496 0000');
    await page.getByLabel('Car park name').fill('Kirkgate Yard');
    await page.getByLabel('Street', { exact: true }).fill('3 Kirkgate');
    await page.getByLabel('Town or city').fill('Leeds');
    await page.getByLabel('Postcode').fill('LS2 7DJ');
    await page.getByLabel('Car spaces').fill('25');
    await page.getByLabel('Car price a month').fill('85');
    await page.getByLabel('Barrier site id').fill(site);
    await page.getByLabel('Support email').fill('desk@kirkgate.example');
    await page.getByRole('button', { name: 'Send application' }).click();
    await expectText(page, '[role=status]', /Your application is sent\. Your application for Kirkgate Parking Ltd to list Kirkgate Yard is waiting for a decision/);
    expect(await page.getByRole('button', { name: 'Send application' }).count()).toBe(0);
    await checkPage(page, 'become-operator-pending');
    // Not listed before an admin approves.
    expect(await publicNames()).not.toContain('Kirkgate Yard');

    const receipt = await emailTo(portal.twin, email, /We have your application/);
    const [statusLink] = portalLinks(portal.twin, receipt);
    await page.goto(statusLink!);
    await expectText(page, '[role=status]', /Kirkgate Yard is waiting for a decision/);

    const admin = await tab();
    const alert = await emailTo(portal.twin, process.env.ADMIN_ALERT_EMAIL!, /New operator application: Kirkgate Parking Ltd/);
    const [queueLink] = portalLinks(portal.twin, alert);
    await admin.goto(queueLink!);
    await logIn(admin, ADMIN, DEMO_PASSWORD);
    await heading(admin, 'Operator applications');
    const card = admin.getByRole('region', { name: 'Kirkgate Parking Ltd' });
    await card.waitFor();
    expect(await card.textContent()).toMatch(/Car: 25 at £85\.00 a month/);
    await checkPage(admin, 'console-applications');
    await card.getByRole('button', { name: 'Approve' }).click();
    await card.getByRole('form', { name: 'Approve Kirkgate Parking Ltd' }).getByText(/This creates the operator, lists Kirkgate Yard/).waitFor();
    await card.getByRole('button', { name: 'Confirm approval' }).click();
    await expectText(admin, '[role=status]', /Approved Kirkgate Parking Ltd: Kirkgate Yard is listed/);
    await expect.poll(() => admin.getByRole('region', { name: 'Kirkgate Parking Ltd' }).count()).toBe(0);
    expect(await publicNames()).toContain('Kirkgate Yard');

    const approval = await emailTo(portal.twin, email, /^Approved: Kirkgate Parking Ltd/);
    const [consoleLink] = portalLinks(portal.twin, approval);
    expect(new URL(consoleLink!).pathname).toBe('/console/carparks');
    const operator = await tab();
    await operator.goto(consoleLink!);
    await logIn(operator, email);
    await heading(operator, 'My car parks');
    await operator.getByRole('article', { name: 'Kirkgate Yard' }).waitFor();
    await checkPage(operator, 'console-new-operator-carparks');
  });

  it('keeps “My tenancies” in the navigation of a tenant who becomes an operator, with the tenancy it rented', async () => {
    const { email, token } = await tenantWithCard('turned-operator');
    const northgate = await carparkNamed('Northgate Multi-Storey');
    const rented = await portal.twin.request('POST', '/tenancies', { token, body: { carparkId: northgate, vehicleType: 'car', plate: 'TO26OPR' } });
    expect(rented.status, rented.text).toBe(202);
    const carpark = {
      name: 'Turned Yard',
      address: { line1: '5 Turned Street', city: 'Leeds', postcode: 'LS1 4AP', country: 'GB' },
      currency: 'gbp',
      prices: { car: 9_000 },
      capacity: { car: 10 },
      smartParkingSiteId: `SP-TURNED-${Date.now()}`,
      supportEmail: 'desk@turned.example',
    };
    const application = { companyName: 'Turned Parking Ltd', contactName: 'Tess Turned', contactPhone: '+44 113 496 0001', carpark };
    const applied = await portal.twin.request('POST', '/operator-applications', { token, body: application });
    expect(applied.status, applied.text).toBe(201);
    const { applicationId } = applied.json as { applicationId: string };
    const approved = await portal.twin.request('POST', `/operator-applications/${applicationId}/approve`, { token: await tokenOf(ADMIN, DEMO_PASSWORD) });
    expect(approved.status, approved.text).toBe(200);

    const page = await tab();
    await page.goto('/login');
    await logIn(page, email);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Console' }).waitFor();
    await nav.getByRole('link', { name: 'My tenancies' }).click();
    await heading(page, 'My tenancies');
    await page.getByText('TO26OPR').first().waitFor();
    expect(await nav.getByRole('link', { name: 'Billing' }).count()).toBe(1);
  });

  it('lets an admin reject an application with a reason, which the applicant reads in the email and on the page, and may apply again', async () => {
    const page = await tab();
    const email = await newTenant(page, 'rejected');
    const token = await tokenOf(email, PASSWORD);
    const applied = await portal.twin.request('POST', '/operator-applications', {
      token,
      body: {
        companyName: 'Nowhere Parking Ltd',
        contactName: 'Sam Parker',
        contactPhone: '+44 113 496 0001',
        carpark: {
          name: 'Nowhere Yard',
          address: { line1: '1 Nowhere Lane', city: 'Leeds', postcode: 'LS1 1AA', country: 'GB' },
          currency: 'gbp',
          prices: { car: 9000 },
          capacity: { car: 10 },
          smartParkingSiteId: `SP-E2E-R-${Date.now()}`,
          supportEmail: 'desk@nowhere.example',
        },
      },
    });
    expect(applied.status, applied.text).toBe(201);

    const admin = await tab();
    await openAs(admin, ADMIN, '/console/applications');
    const card = admin.getByRole('region', { name: 'Nowhere Parking Ltd' });
    await card.getByRole('button', { name: 'Reject' }).click();
    // A reason is needed: the API's message beside the field.
    await card.getByRole('button', { name: 'Confirm rejection' }).click();
    await expect.poll(() => card.getByLabel('Reason for rejecting').getAttribute('aria-invalid')).toBe('true');
    await card.getByLabel('Reason for rejecting').fill('We could not find this site with SmartParking.');
    await card.getByRole('button', { name: 'Confirm rejection' }).click();
    await expectText(admin, '[role=status]', /Rejected Nowhere Parking Ltd/);

    const rejection = await emailTo(portal.twin, email, /^Your application to run Nowhere Yard/);
    expect(rejection.text).toContain('We could not find this site with SmartParking.');
    const [link] = portalLinks(portal.twin, rejection);
    await page.goto(link!);
    await heading(page, 'Become an operator');
    await expectText(page, '[role=status]', /was not approved\. The reason: We could not find this site with SmartParking\./);
    await page.getByRole('heading', { name: 'Apply again' }).waitFor();
    await checkPage(page, 'become-operator-rejected');
  });
});

describe('the console’s layout', { timeout: 240_000 }, () => {
  it('lays out every console page at 375 px and 1280 px without sideways scrolling', async () => {
    const adminToken = await tokenOf(ADMIN, DEMO_PASSWORD);
    const northgate = await carparkNamed('Northgate Multi-Storey');
    const tenancies = (await portal.twin.request('GET', `/tenancies?carparkId=${northgate}&limit=1`, { token: adminToken })).json as { items: { tenancyId: string }[] };
    const tenancyId = tenancies.items[0]!.tenancyId;
    const fleet = (await portal.twin.request('GET', '/users?email=fleet%40carpark.local', { token: adminToken })).json as { items: { userId: string }[] };
    const fleetId = fleet.items[0]!.userId;
    const paths = [
      '/console',
      '/console/carparks',
      '/console/carparks/new',
      `/console/carparks/${northgate}/edit`,
      `/console/carparks/${northgate}/waitlist`,
      `/console/tenancies?carparkId=${northgate}`,
      `/console/tenancies/${tenancyId}`,
      '/console/plates?plate=SO51BIO',
      '/console/users',
      `/console/users/${fleetId}/xero-contact`,
      '/console/platform',
      '/console/operators',
      '/console/applications',
    ];
    for (const [device, width] of Object.entries(WIDTHS)) {
      const { page } = await newTab(portal.browser, portal.twin.webBaseUrl, width);
      await page.goto('/login');
      await logIn(page, ADMIN, DEMO_PASSWORD);
      for (const path of paths) {
        await page.goto(path);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await page.locator('[role=status]').filter({ hasText: /^Loading|^Looking/ }).waitFor({ state: 'detached' });
        const overflow = await page.evaluate('document.scrollingElement.scrollWidth - window.innerWidth');
        expect(overflow, `${path} at ${width} px`).toBeLessThanOrEqual(0);
        const name = `console-${device}-${path.replace(/\?.*/, '').replace(/tn_\w+/, 'tenancy').replace(/cp_\w+/, 'carpark').replace(/usr_\w+/, 'user').replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}`;
        await checkPage(page, name);
      }
      await page.context().close();
    }
  });
});
