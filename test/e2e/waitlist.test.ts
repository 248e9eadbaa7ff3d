/**
 * The waitlist end to end in Chromium against the whole twin: a tenant joins a full car park's
 * line from its page, a space is added, the offer email's link opens the offer, which shows its
 * price and first charge and is accepted in one step; the next offer lapses and its tenant is
 * told; the operator's console shows the line, the offers and their outcomes.
 */
import { describe, expect, it } from 'vitest';
import { offerNoticeDeps } from '../../functions/adapters/wiring/waitlist';
import { lapseOffer } from '../../functions/domain/waitlist';
import { checkPage } from './browser';
import { apiCarpark, apiTenantWithCard, apiToken, emailTo, expectText, heading, logIn, portalLinks, pollUntil } from './journeys';
import { DEMO_PASSWORD } from './portal-twin';
import { portalSession } from './session';

const portal = portalSession('waitlist');
const { tab } = portal;

const OPERATOR = 'operator@carpark.local';

const tenantWithCard = (label: string) => apiTenantWithCard(portal.twin, label, 'Wren Waiting');

const openOfferOf = async (token: string) =>
  pollUntil(async () => ((await portal.twin.request('GET', '/waitlist', { token })).json as { offers: { offerId: string; status: string }[] }).offers.find((o) => o.status === 'open'), {
    timeoutMs: 20_000,
    describeFailure: () => 'no offer was made',
  });

describe('the waitlist', { timeout: 180_000 }, () => {
  it('is joined from a full car park’s page; a space added is offered by email, accepted in one step, the next offer lapses, and the operator sees it all', async () => {
    const operatorToken = await apiToken(portal.twin, OPERATOR, DEMO_PASSWORD);
    const carparkId = await apiCarpark(portal.twin, operatorToken, {
      name: 'Wharf Street',
      line1: '8 Wharf Street',
      postcode: 'LS2 7EQ',
      price: 9_000,
      spaces: 1,
      siteId: 'SP-LEEDS-WHARF',
      supportEmail: 'wharf@northgate.local',
    });
    const holder = await tenantWithCard('holder');
    expect((await portal.twin.request('POST', '/tenancies', { token: holder.token, body: { carparkId, vehicleType: 'car', plate: 'WS11 AAA' } })).status).toBe(202);

    // Joining from the car park's page, which says it is full.
    const waiter = await tenantWithCard('waiter');
    const page = await tab();
    await page.goto(`/rent/${carparkId}`);
    await logIn(page, waiter.email);
    await heading(page, 'Rent a space at Wharf Street');
    await expectText(page, 'label.choice', /Car: £90\.00 a month \(full\)/);
    await page.getByLabel('Number plate').fill('ws22 bbb');
    await expectText(page, '[data-testid=waitlist-offer]', /held for them for 48 hours/);
    await checkPage(page, 'waitlist-join');
    await page.getByRole('button', { name: 'Join the waitlist' }).click();
    await heading(page, 'My waitlists');
    await expectText(page, '[role=status]', /You joined the waitlist at Wharf Street: you are number 1 in line/);
    expect(await page.getByTestId('position').textContent()).toBe('1');
    await checkPage(page, 'waitlist-mine');

    const next = await tenantWithCard('next');
    expect((await portal.twin.request('POST', `/carparks/${carparkId}/waitlist`, { token: next.token, body: { vehicleType: 'car', plate: 'WS33 CCC' } })).status).toBe(201);

    // The operator adds a space: it is offered to the first in line, who is emailed.
    expect((await portal.twin.request('PATCH', `/carparks/${carparkId}`, { token: operatorToken, body: { capacity: { car: 2 } } })).status).toBe(200);
    const offerEmail = await emailTo(portal.twin, waiter.email, /^A space is free for you at Wharf Street$/);
    expect(offerEmail.text).toMatch(/held for you and WS22BBB until .+: £90\.00 a month/);
    const [link, ...others] = portalLinks(portal.twin, offerEmail);
    expect(others).toEqual([]);
    expect(link).toMatch(/\/my\/offers\/of_[0-9a-f]{20}$/);

    const offerPage = await tab();
    await offerPage.goto(link!);
    await logIn(offerPage, waiter.email);
    await heading(offerPage, 'A space at Wharf Street');
    expect(await offerPage.getByTestId('offer-price').textContent()).toBe('£90.00 a month');
    await expectText(offerPage, '[data-testid=quote-now]', /^£90\.00 to your .+ card ending \d{4}$/);
    await checkPage(offerPage, 'waitlist-offer');
    await offerPage.getByRole('button', { name: 'Accept and pay £90.00' }).click();
    await heading(offerPage, /Wharf Street: WS22BBB/);
    await expectText(offerPage, '[data-testid=tenancy-status]', /^Active$/, 30_000);

    // Another space: offered to the next in line, whose offer then lapses (its deadline passed).
    expect((await portal.twin.request('PATCH', `/carparks/${carparkId}`, { token: operatorToken, body: { capacity: { car: 3 } } })).status).toBe(200);
    const nextOffer = await openOfferOf(next.token);
    const lapsed = await lapseOffer({ ...offerNoticeDeps, clock: { now: () => new Date(Date.now() + 3 * 24 * 3_600_000) } }, nextOffer.offerId);
    expect(lapsed.lapsed).toBe(true);
    const lapsedEmail = await emailTo(portal.twin, next.email, /^Your offer of a space at Wharf Street has lapsed$/);
    const [waitlistLink] = portalLinks(portal.twin, lapsedEmail);
    const nextPage = await tab();
    await nextPage.goto(waitlistLink!);
    await logIn(nextPage, next.email);
    await heading(nextPage, 'My waitlists');
    await expectText(nextPage, 'li', /Wharf Street, Car: Lapsed/);
    await nextPage.goto(`/my/offers/${nextOffer.offerId}`);
    await expectText(nextPage, '[data-testid=offer-closed]', /This offer has lapsed: the space went to the next in line/);
    await checkPage(nextPage, 'waitlist-offer-lapsed');

    // The operator's view of the line.
    const consolePage = await tab();
    await consolePage.goto(`/console/carparks/${carparkId}/waitlist`);
    await logIn(consolePage, OPERATOR, DEMO_PASSWORD);
    await heading(consolePage, 'Waitlist at Wharf Street');
    const offers = await expectText(consolePage, '[data-testid=offers-table]', /Lapsed/);
    expect(offers).toMatch(/WS22BBB.*Accepted/);
    expect(offers).toMatch(/WS33CCC.*Lapsed/);
    await expectText(consolePage, '[data-testid=time-to-fill]', /A freed space is taken (within the hour|in [\d.]+ hours)/);
    await checkPage(consolePage, 'console-waitlist');

    // How long an offer holds its space is the operator's to set.
    await consolePage.goto(`/console/carparks/${carparkId}/edit`);
    await heading(consolePage, 'Edit Wharf Street');
    const hours = consolePage.getByLabel('Waitlist offer holds a space for (hours)');
    expect(await hours.inputValue()).toBe('48');
    await hours.fill('24');
    await consolePage.getByRole('button', { name: 'Save changes' }).click();
    await heading(consolePage, 'My car parks');
    expect(((await portal.twin.request('GET', `/carparks/${carparkId}`)).json as { offerHours: number }).offerHours).toBe(24);
  });
});
