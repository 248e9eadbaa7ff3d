/**
 * Several plates per tenancy end to end in Chromium against the whole twin: the operator lets a
 * car park's tenancies have two plates from the console; a tenant adds a second car's plate and
 * watches it go to the barrier (the simulator's whitelist then holds both), is refused a third,
 * and removes the first, which stays on the whitelist until the end of the period paid for.
 */
import { describe, expect, it } from 'vitest';
import { checkPage } from './browser';
import { apiCarpark, apiTenantWithCard, apiToken, expectText, heading, logIn, pollUntil } from './journeys';
import { DEMO_PASSWORD } from './portal-twin';
import { portalSession } from './session';

const portal = portalSession('plates');
const { tab } = portal;

const OPERATOR = 'operator@carpark.local';
const SITE = 'SP-LEEDS-MILL';

/** The plates on the car park's barrier, as the SmartParking simulator holds them. */
const whitelisted = () =>
  portal.twin.integrations.smartParking
    .whitelist(SITE)
    .map((r) => r.plate)
    .sort();

/** As the portal writes a date: "Saturday 3 January 2027", in the car park's time zone. */
const longDate = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' }).format(new Date(iso));

describe('several plates per tenancy', { timeout: 180_000 }, () => {
  it('are allowed by the operator; a tenant adds a second, is refused a third, and removes one that keeps opening the barrier to the end of the paid period', async () => {
    const operatorToken = await apiToken(portal.twin, OPERATOR, DEMO_PASSWORD);
    const carparkId = await apiCarpark(portal.twin, operatorToken, {
      name: 'Mill Lane',
      line1: '3 Mill Lane',
      postcode: 'LS9 8AB',
      price: 8_000,
      spaces: 5,
      siteId: SITE,
      supportEmail: 'mill@northgate.local',
    });

    // The operator allows two plates per tenancy from the car park's edit page.
    const consolePage = await tab();
    await consolePage.goto(`/console/carparks/${carparkId}/edit`);
    await logIn(consolePage, OPERATOR, DEMO_PASSWORD);
    await heading(consolePage, 'Edit Mill Lane');
    const perTenancy = consolePage.getByLabel('Plates per tenancy');
    expect(await perTenancy.inputValue()).toBe('1');
    await perTenancy.fill('2');
    const [saved] = await Promise.all([
      consolePage.waitForResponse((response) => response.request().method() === 'PATCH' && response.url().endsWith(`/carparks/${carparkId}`)),
      consolePage.getByRole('button', { name: 'Save changes' }).click(),
    ]);
    expect(saved.status(), await saved.text()).toBe(200);
    await heading(consolePage, 'My car parks');
    expect(((await portal.twin.request('GET', `/carparks/${carparkId}`)).json as { platesPerTenancy: number }).platesPerTenancy).toBe(2);

    // A tenant with an active tenancy there, its plate on the barrier.
    const tenant = await apiTenantWithCard(portal.twin, 'plates', 'Pat Plates');
    const rented = await portal.twin.request('POST', '/tenancies', { token: tenant.token, body: { carparkId, vehicleType: 'car', plate: 'MP11 AAA' } });
    expect(rented.status, rented.text).toBe(202);
    const { tenancyId } = (rented.json as { tenancy: { tenancyId: string } }).tenancy;
    const tenancy = async () => (await portal.twin.request('GET', `/tenancies/${tenancyId}`, { token: tenant.token })).json as { status: string; renewsAt: string };
    await pollUntil(async () => (await tenancy()).status === 'active', { timeoutMs: 30_000, intervalMs: 200, describeFailure: () => 'the tenancy never became active' });
    await expect.poll(whitelisted, { timeout: 30_000, interval: 200 }).toEqual(['MP11AAA']);

    const page = await tab();
    await page.goto(`/my/tenancies/${tenancyId}`);
    await logIn(page, tenant.email);
    await heading(page, 'Mill Lane: MP11AAA');
    const plates = page.getByTestId('plates');
    const listed = plates.getByRole('list', { name: 'Plates on this tenancy' }).getByRole('listitem');
    await expectText(page, '[data-testid=plate-count]', /^1 of 2 plates$/);
    expect(await plates.textContent()).toMatch(/you rent and pay for one space: park only one of these cars at a time/);
    // A second tab, opened now, still offers to add a plate once the first tab has added one.
    const stale = await tab();
    await stale.goto(`/my/tenancies/${tenancyId}`);
    await logIn(stale, tenant.email);
    await heading(stale, 'Mill Lane: MP11AAA');
    await stale.getByLabel('Plate to add').waitFor();

    // A second car's plate: shown as being added while the barrier (slow to answer today) learns it, then listed.
    portal.twin.integrations.smartParking.faults.set({ latencyMs: 1_500 });
    await page.getByLabel('Plate to add').fill('mp22 bbb');
    await page.getByRole('button', { name: 'Add plate' }).click();
    await expectText(page, '[data-testid=plates] li', /^MP22BBB being added…$/);
    await expectText(page, '[data-testid=plates] [role=status]', /^Adding MP22BBB to the barrier… This page updates by itself\.$/);
    await expectText(page, '[data-testid=plates] [role=status]', /^MP22BBB is added: the barrier opens for it\.$/, 30_000);
    portal.twin.integrations.smartParking.faults.clear();
    // B may be read as 8: the look-alike warnings of the rent page, for the plate just added.
    await expectText(page, '[data-testid=plates] [data-testid=plate-warnings]', /^Check your plate MP22BBB:.*Check character 5: B \(letter\) or 8 \(eight\)\?/);
    expect(await listed.allTextContents()).toEqual([
      expect.stringMatching(/^MP11AAA first plateRemove MP11AAA$/),
      expect.stringMatching(/^MP22BBBRemove MP22BBB$/),
    ]);
    await expectText(page, '[data-testid=plate-count]', /^2 of 2 plates$/);
    expect(await page.getByTestId('summary-plates').textContent()).toBe('MP11AAA, MP22BBB');
    expect(await page.getByLabel('Plate to add').count()).toBe(0);
    expect(await plates.textContent()).toMatch(/This car park allows 2 plates per tenancy: remove one to add another\./);
    expect(whitelisted()).toEqual(['MP11AAA', 'MP22BBB']);
    await checkPage(page, 'plates-tenancy-two-plates');

    // A third plate, from the tab that still offered it: refused, and the tab shows the tenancy as it is.
    await stale.getByLabel('Plate to add').fill('MP33 CCC');
    await stale.getByRole('button', { name: 'Add plate' }).click();
    await expectText(stale, '[data-testid=plates] [role=alert]', /^MP33CCC was not added\. This car park allows 2 plates per tenancy; remove one first\.$/);
    await expectText(stale, '[data-testid=plate-count]', /^2 of 2 plates$/);
    expect(whitelisted()).toEqual(['MP11AAA', 'MP22BBB']);

    // The operator's console shows every plate of the tenancy.
    await consolePage.goto(`/console/tenancies?carparkId=${carparkId}`);
    await heading(consolePage, 'Tenancies');
    await expect.poll(() => consolePage.getByTestId('console-tenancies').locator('tbody th').allTextContents()).toEqual(['MP11AAA MP22BBB']);
    await consolePage.getByRole('link', { name: 'MP11AAA' }).click();
    await heading(consolePage, 'Mill Lane: MP11AAA');
    expect(await consolePage.getByTestId('console-plates').textContent()).toBe('MP11AAA, MP22BBB');

    // Removing the first plate: asked first, and it keeps opening the barrier to the end of the period paid for.
    const until = longDate((await tenancy()).renewsAt);
    await plates.getByRole('button', { name: 'Remove MP11AAA' }).click();
    const confirmation = page.getByRole('group', { name: /^Remove MP11AAA from this tenancy\?/ });
    expect(await confirmation.textContent()).toContain(
      `It keeps opening the barrier until the end of the period you have paid for, ${until}, then it is taken off the barrier’s list. Your price stays the same.`,
    );
    await expect.poll(() => page.evaluate('document.activeElement && document.activeElement.id')).toBe('remove-plate-question');
    await checkPage(page, 'plates-remove-confirmation');
    await confirmation.getByRole('button', { name: 'Yes, remove MP11AAA' }).click();
    await expectText(page, '[data-testid=removed-plate]', new RegExp(`^MP11AAA removed — opens the barrier until ${until}$`));
    await expectText(page, '[data-testid=plates] [role=status]', new RegExp(`^MP11AAA is removed\\. It keeps opening the barrier until ${until}, then`));
    await heading(page, 'Mill Lane: MP22BBB');
    await expectText(page, '[data-testid=plate-count]', /^1 of 2 plates$/);
    await expectText(page, '[data-testid=timeline] li[data-kind=plate_removed]', new RegExp(`Plate MP11AAA removed; it opens the barrier until ${until}\\s*Tenant$`));
    // One plate left: it cannot be removed, and a plate can be added again.
    expect(await plates.getByRole('button', { name: /^Remove/ }).count()).toBe(0);
    await page.getByLabel('Plate to add').waitFor();
    expect(whitelisted()).toEqual(['MP11AAA', 'MP22BBB']);
    await checkPage(page, 'plates-tenancy-removed');

    await consolePage.reload();
    await heading(consolePage, 'Mill Lane: MP22BBB');
    expect(await consolePage.getByTestId('console-removed-plates').textContent()).toBe(`MP11AAA opens the barrier until ${until}`);
    await checkPage(consolePage, 'plates-console-tenancy');

    // The removed plate still counts against the limit: a new plate takes its place at once.
    await expectText(page, '[data-testid=plates]', /Adding it takes MP11AAA, which you removed, off the barrier at once\./);
    await page.getByLabel('Plate to add').fill('MP44DDD');
    await page.getByRole('button', { name: 'Add plate' }).click();
    await expect.poll(whitelisted, { timeout: 20_000 }).toEqual(['MP22BBB', 'MP44DDD']);
    await expectText(page, '[data-testid=plate-count]', /^2 of 2 plates$/);
    await expect.poll(() => page.getByTestId('removed-plate').count(), { timeout: 10_000 }).toBe(0);

    // The car park's form as saved, through axe.
    await consolePage.goto(`/console/carparks/${carparkId}/edit`);
    await heading(consolePage, 'Edit Mill Lane');
    expect(await consolePage.getByLabel('Plates per tenancy').inputValue()).toBe('2');
    await checkPage(consolePage, 'plates-carpark-form');
  });
});
