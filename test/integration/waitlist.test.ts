/**
 * The waitlist of a full car park through the twin: joining in order, offers that hold a space,
 * accepting, declining and lapsing, and the races between them. The invariant throughout: a car
 * park's occupied count is its live tenancies plus its open offers, never above its capacity.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPlateIndex } from '../../bin/plate-index';
import { keys } from '../../functions/adapters/dynamodb/keys';
import { tenancyRepository } from '../../functions/adapters/dynamodb/tenancy-repository';
import { waitlistRepository } from '../../functions/adapters/dynamodb/waitlist-repository';
import { carparkRepository } from '../../functions/adapters/dynamodb/repositories';
import { offerNoticeDeps, waitlistDeps } from '../../functions/adapters/wiring/waitlist';
import { lapseOffer, offerFreeSpaces, sweepWaitlists, type WaitlistOffer } from '../../functions/domain/waitlist';
import { pollUntil } from '../../local/ports';
import { startTestTwin, type TestTwin } from '../support/twin';
import { createCast, signUp, type Actor, type Cast } from './actors';
import { addCard, createCarpark, rent, settle, stripeOf } from './tenancy-helpers';

let twin: TestTwin;
let cast: Cast;
beforeAll(async () => {
  twin = await startTestTwin();
  cast = await createCast(twin);
});
afterAll(() => twin?.close());

let tenants = 0;
async function tenant(name: string): Promise<Actor> {
  const actor = await signUp(twin, `${name}-${++tenants}@waitlist.test`);
  await addCard(twin, actor);
  return actor;
}

const plate = (n: number) => `WL${String(n).padStart(2, '0')}ABC`;

async function fullCarpark(spaces: number) {
  const carpark = await createCarpark(twin, cast.operatorX, { capacity: { car: spaces, motorcycle: 1 } });
  const holders: { actor: Actor; tenancyId: string }[] = [];
  for (let i = 0; i < spaces; i++) {
    const actor = await tenant('holder');
    const { tenancy } = await settle(twin, actor, (await rent(twin, actor, carpark.carparkId, plate(90 + i))).tenancyId);
    holders.push({ actor, tenancyId: tenancy.tenancyId });
  }
  return { ...carpark, holders };
}

async function join(actor: Actor, carparkId: string, n: number) {
  const res = await twin.request('POST', `/carparks/${carparkId}/waitlist`, { token: actor.token, body: { vehicleType: 'car', plate: plate(n) } });
  expect(res.status, res.text).toBe(201);
  return res.json as { position: number };
}

const offersAt = async (carparkId: string) => waitlistRepository.offersAt(carparkId, 100);
const openOffers = async (carparkId: string) => (await offersAt(carparkId)).filter((o) => o.status === 'open');

/** Waits for the bus and the workflows to finish what they were given. */
async function quiet() {
  await twin.integrations.bus.waitForIdle(15_000);
  await pollUntil(async () => ['TenancySetup', 'TenancyCancellation', 'VehicleChange', 'WaitlistOffer'].every((w) => twin.integrations.workflows.list(w, 'RUNNING').length === 0), {
    timeoutMs: 20_000,
    describeFailure: () => 'workflows still running',
  });
  await twin.integrations.bus.waitForIdle(15_000);
}

async function expectCountsHold(carparkId: string) {
  const carpark = (await carparkRepository.get(carparkId))!;
  const live = (await tenancyRepository.liveAtCarpark(carparkId)).filter((t) => t.vehicleType === 'car').length;
  const open = (await openOffers(carparkId)).length;
  expect(carpark.occupied.car ?? 0, 'occupied = live tenancies + open offers').toBe(live + open);
  expect(carpark.offered?.car ?? 0, 'offered = open offers').toBe(open);
  expect(carpark.occupied.car ?? 0).toBeLessThanOrEqual(carpark.capacity.car ?? 0);
  expect(carpark.occupied.car ?? 0).toBeGreaterThanOrEqual(0);
}

/** The deadline has passed (for the lapse step): the same deps, a clock a week on (read once the twin has set the environment). */
const aWeekLater = () => ({ ...offerNoticeDeps, clock: { now: () => new Date(Date.now() + 7 * 24 * 3_600_000) } });

describe('joining the waitlist of a full car park', () => {
  it('answers positions in order, keeps the free space for the line, and moves people up when one leaves', async () => {
    const carpark = await fullCarpark(1);
    const [first, second, third] = [await tenant('first'), await tenant('second'), await tenant('third')];
    expect(await join(first, carpark.carparkId, 1)).toMatchObject({ position: 1 });
    expect(await join(second, carpark.carparkId, 2)).toMatchObject({ position: 2 });
    expect(await join(third, carpark.carparkId, 3)).toMatchObject({ position: 3 });
    const again = await twin.request('POST', `/carparks/${carpark.carparkId}/waitlist`, { token: first.token, body: { vehicleType: 'car', plate: plate(1) } });
    expect(again.status).toBe(409);

    // A rental while people wait is refused, and the answer says where to join.
    const direct = await twin.request('POST', '/tenancies', { token: (await tenant('jumper')).token, body: { carparkId: carpark.carparkId, vehicleType: 'car', plate: plate(9) } });
    expect(direct.status).toBe(409);
    expect(direct.json).toMatchObject({ error: { code: 'carpark_full', message: expect.stringContaining(`/carparks/${carpark.carparkId}/waitlist`) } });

    expect((await twin.request('DELETE', `/carparks/${carpark.carparkId}/waitlist/car`, { token: second.token })).status).toBe(204);
    const mine = (await twin.request('GET', '/waitlist', { token: third.token })).json as { entries: { position: number; carparkName: string }[] };
    expect(mine.entries).toEqual([expect.objectContaining({ position: 2, carparkName: 'Test Car Park' })]);
    const listed = (await twin.request('GET', `/carparks/${carpark.carparkId}`)).json as { spacesFree: { car: number }; waiting: { car: number } };
    expect(listed).toMatchObject({ spacesFree: { car: 0 }, waiting: { car: 2 } });
  });

  it('refuses a line when a space of the type is free: it can be rented now', async () => {
    const carpark = await createCarpark(twin, cast.operatorX);
    const res = await twin.request('POST', `/carparks/${carpark.carparkId}/waitlist`, { token: (await tenant('early')).token, body: { vehicleType: 'car', plate: plate(5) } });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ error: { code: 'spaces_free' } });
  });
});

describe('a space falling free', () => {
  it('is offered to the first in line, held for them, and emailed with a link that shows the offer', async () => {
    const carpark = await fullCarpark(1);
    const [first, second] = [await tenant('offered'), await tenant('next')];
    await join(first, carpark.carparkId, 11);
    await join(second, carpark.carparkId, 12);

    const holder = carpark.holders[0]!;
    expect((await twin.request('DELETE', `/tenancies/${holder.tenancyId}`, { token: holder.actor.token })).status).toBe(202);
    await quiet();

    const [offer] = await openOffers(carpark.carparkId);
    expect(offer).toMatchObject({ userId: first.userId, plate: plate(11), status: 'open' });
    await expectCountsHold(carpark.carparkId);
    // The operator's dashboard counts tenancies: the held space is not let, now or in past months.
    const dashboard = (await twin.request('GET', `/operators/${cast.operatorX.operatorId}/dashboard?carparkId=${carpark.carparkId}`, { token: cast.operatorX.token })).json as {
      now: { occupied: { car: number } };
      months: { occupied: { car: number } }[];
    };
    expect(dashboard.now.occupied.car).toBe(0);
    expect(dashboard.months.map((m) => m.occupied.car)).toEqual(dashboard.months.map(() => 0));
    const email = await pollUntil(async () => (await twin.outbox.list()).find((m) => m.to.includes(first.email) && m.subject.includes('A space is free for you')), {
      timeoutMs: 10_000,
      describeFailure: () => 'no offer email',
    });
    expect(email.text).toContain(`/my/offers/${offer!.offerId}`);
    const shown = await twin.request('GET', `/offers/${offer!.offerId}`, { token: first.token });
    expect(shown.json).toMatchObject({ status: 'open', carparkName: 'Test Car Park', monthlyAmount: 10_000, currency: 'gbp' });
    const second_ = (await twin.request('GET', '/waitlist', { token: second.token })).json as { entries: { position: number }[] };
    expect(second_.entries[0]?.position).toBe(1);
  });

  it('is offered when the tenancy ended because its Stripe subscription was deleted', async () => {
    const carpark = await fullCarpark(1);
    const waiter = await tenant('after-deletion');
    await join(waiter, carpark.carparkId, 15);
    const holder = carpark.holders[0]!;
    const { customerId } = (await twin.request('GET', '/billing', { token: holder.actor.token })).json as { customerId: string };
    const [subscription] = (await stripeOf(twin).subscriptions.list({ customer: customerId })).data;
    await stripeOf(twin).subscriptions.cancel(subscription!.id);
    const offer = await pollUntil(async () => (await openOffers(carpark.carparkId))[0], {
      timeoutMs: 15_000,
      describeFailure: () => 'the space of the ended tenancy was not offered',
    });
    expect(offer.userId).toBe(waiter.userId);
    await quiet();
    await expectCountsHold(carpark.carparkId);
  });

  it('makes exactly one offer per free space however many tenancies end at once and however often the line is offered it', async () => {
    const carpark = await fullCarpark(3);
    const waiting = await Promise.all([1, 2, 3, 4, 5].map((i) => tenant(`many${i}`)));
    for (const [i, actor] of waiting.entries()) await join(actor, carpark.carparkId, 20 + i);

    // Two of three tenancies end at once, while the line is offered the spaces eight times over.
    await Promise.all([
      ...carpark.holders.slice(0, 2).map((h) => twin.request('DELETE', `/tenancies/${h.tenancyId}`, { token: h.actor.token })),
      ...Array.from({ length: 8 }, () => offerFreeSpaces(waitlistDeps, carpark.carparkId, 'car')),
    ]);
    await quiet();
    await Promise.all(Array.from({ length: 8 }, () => offerFreeSpaces(waitlistDeps, carpark.carparkId, 'car')));
    await quiet();

    const offers = await openOffers(carpark.carparkId);
    expect(offers.map((o) => o.userId).sort()).toEqual([waiting[0]!.userId, waiting[1]!.userId].sort());
    await expectCountsHold(carpark.carparkId);
  });
});

describe('an offer', () => {
  async function offered() {
    const carpark = await fullCarpark(1);
    const [first, second] = [await tenant('accepting'), await tenant('behind')];
    await join(first, carpark.carparkId, 31);
    await join(second, carpark.carparkId, 32);
    const holder = carpark.holders[0]!;
    await twin.request('DELETE', `/tenancies/${holder.tenancyId}`, { token: holder.actor.token });
    await quiet();
    const offer = await pollUntil(async () => (await openOffers(carpark.carparkId))[0], { timeoutMs: 10_000, describeFailure: () => 'no offer' });
    return { carpark, first, second, offer };
  }

  it('accepted twice at once becomes one tenancy, charged once', async () => {
    const { carpark, first, offer } = await offered();
    const answers = await Promise.all([1, 2, 3].map(() => twin.request('POST', `/offers/${offer.offerId}/accept`, { token: first.token, body: { quotedAt: new Date().toISOString() } })));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    const ids = new Set(answers.map((a) => (a.json as { tenancy: { tenancyId: string } }).tenancy.tenancyId));
    expect(ids.size).toBe(1);
    const { tenancy } = await settle(twin, first, [...ids][0]!);
    expect(tenancy).toMatchObject({ status: 'active', plate: plate(31) });
    // Found by plate like any rental: in the plate index, keeping its tenant's name.
    expect((await checkPlateIndex()).filter((r) => r.key.pk === keys.tenancy(tenancy.tenancyId).pk)).toEqual([]);
    const { customerId } = (await twin.request('GET', '/billing', { token: first.token })).json as { customerId: string };
    expect((await stripeOf(twin).invoices.list({ customer: customerId })).data.filter((i) => i.status === 'paid')).toHaveLength(1);
    await quiet();
    await expectCountsHold(carpark.carparkId);
  });

  it('declined passes its space to the next in line in the same step', async () => {
    const { carpark, first, second, offer } = await offered();
    const declined = await twin.request('POST', `/offers/${offer.offerId}/decline`, { token: first.token });
    expect(declined.status, declined.text).toBe(200);
    const [next] = await openOffers(carpark.carparkId);
    expect(next).toMatchObject({ userId: second.userId, spaceFreedAt: offer.spaceFreedAt });
    await expectCountsHold(carpark.carparkId);

    // What the sweep reads: the open offers made since a moment, not the declined one.
    const before = new Date(Date.parse(offer.offeredAt) - 1_000).toISOString();
    expect((await waitlistRepository.openOffersSince(carpark.carparkId, before)).map((o) => o.offerId)).toEqual([next!.offerId]);
    const after = new Date(Date.parse(next!.offeredAt) + 1).toISOString();
    expect(await waitlistRepository.openOffersSince(carpark.carparkId, after)).toEqual([]);
  });

  it('is lapsed by the sweep once past its deadline (its run lost), and the space goes to the next in line', async () => {
    const { carpark, first, second, offer } = await offered();
    // Nothing happens before the deadline: the run is started again by name (already running).
    expect(await sweepWaitlists(offerNoticeDeps)).toMatchObject({ lapsed: 0 });
    expect((await waitlistRepository.getOffer(offer.offerId, true))?.status).toBe('open');

    const swept = await sweepWaitlists(aWeekLater());
    expect(swept.lapsed).toBeGreaterThanOrEqual(1);
    expect((await waitlistRepository.getOffer(offer.offerId, true))?.status).toBe('lapsed');
    const [next] = await openOffers(carpark.carparkId);
    expect(next).toMatchObject({ userId: second.userId });
    expect(next!.userId).not.toBe(first.userId);
    await expectCountsHold(carpark.carparkId);
  });

  it('lapsing while its tenant accepts ends one way: accepted with a tenancy, or lapsed with the space passed on', async () => {
    for (let round = 0; round < 4; round++) {
      const { carpark, first, second, offer } = await offered();
      const [accepted, lapsed] = await Promise.all([
        twin.request('POST', `/offers/${offer.offerId}/accept`, { token: first.token, body: { quotedAt: new Date().toISOString() } }),
        lapseOffer(aWeekLater(), offer.offerId),
      ]);
      const after = (await waitlistRepository.getOffer(offer.offerId, true))!;
      if (accepted.status === 202) {
        expect(lapsed.lapsed).toBe(false);
        expect(after.status).toBe('accepted');
      } else {
        expect(accepted.status).toBe(409);
        expect(lapsed.lapsed).toBe(true);
        expect(after.status).toBe('lapsed');
        expect((await openOffers(carpark.carparkId)).map((o) => o.userId)).toEqual([second.userId]);
      }
      await quiet();
      await expectCountsHold(carpark.carparkId);
    }
  });
});

describe('a vehicle change at a car park people wait for', () => {
  it('holds the old space until the change is kept, so a refused charge never puts a type over its capacity', async () => {
    const carpark = await fullCarpark(1);
    const waiter = await tenant('waiting-for-car');
    await join(waiter, carpark.carparkId, 61);
    const holder = carpark.holders[0]!;
    await addCard(twin, holder.actor, 'pm_card_chargeCustomerFail');

    const res = await twin.request('PATCH', `/tenancies/${holder.tenancyId}`, { token: holder.actor.token, body: { vehicleType: 'motorcycle' } });
    expect(res.status, res.text).toBe(202);
    // While the new price is being charged, the line is offered whatever is free: nothing is.
    expect(await offerFreeSpaces(waitlistDeps, carpark.carparkId, 'car')).toBe(0);
    await quiet();

    const after = (await carparkRepository.get(carpark.carparkId))!;
    expect(after.occupied).toMatchObject({ car: 1, motorcycle: 0 });
    expect(await openOffers(carpark.carparkId)).toEqual([]);
    await expectCountsHold(carpark.carparkId);
  });

  it('gives the old space to the line once the change is kept', async () => {
    const carpark = await fullCarpark(1);
    const waiter = await tenant('after-change');
    await join(waiter, carpark.carparkId, 62);
    const holder = carpark.holders[0]!;
    expect((await twin.request('PATCH', `/tenancies/${holder.tenancyId}`, { token: holder.actor.token, body: { vehicleType: 'motorcycle' } })).status).toBe(202);
    await quiet();
    expect((await openOffers(carpark.carparkId)).map((o) => o.userId)).toEqual([waiter.userId]);
    await expectCountsHold(carpark.carparkId);
  });
});

describe('a tenant offered a space', () => {
  it('cannot join the same line again while the space is held for them', async () => {
    const carpark = await fullCarpark(1);
    const first = await tenant('held');
    await join(first, carpark.carparkId, 71);
    const holder = carpark.holders[0]!;
    await twin.request('DELETE', `/tenancies/${holder.tenancyId}`, { token: holder.actor.token });
    await quiet();
    expect((await openOffers(carpark.carparkId)).map((o) => o.userId)).toEqual([first.userId]);
    const again = await twin.request('POST', `/carparks/${carpark.carparkId}/waitlist`, { token: first.token, body: { vehicleType: 'car', plate: plate(71) } });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ error: { code: 'offer_open' } });
  });
});

describe('the free count', () => {
  it('equals capacity minus live tenancies minus open offers after any sequence of joins, offers, accepts, declines, lapses and cancellations', async () => {
    const carpark = await fullCarpark(2);
    const people = await Promise.all([1, 2, 3, 4].map((i) => tenant(`model${i}`)));
    const holders = [...carpark.holders];
    const offerOf = async (actor: Actor): Promise<WaitlistOffer | undefined> => (await openOffers(carpark.carparkId)).find((o) => o.userId === actor.userId);

    const step = fc.oneof(
      fc.record({ kind: fc.constant('join' as const), who: fc.nat(3) }),
      fc.record({ kind: fc.constant('leave' as const), who: fc.nat(3) }),
      fc.record({ kind: fc.constant('accept' as const), who: fc.nat(3) }),
      fc.record({ kind: fc.constant('decline' as const), who: fc.nat(3) }),
      fc.record({ kind: fc.constant('lapse' as const), who: fc.nat(3) }),
      fc.record({ kind: fc.constant('cancel' as const), who: fc.nat(3) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 6, maxLength: 10 }), async (steps) => {
        for (const s of steps) {
          const actor = people[s.who]!;
          if (s.kind === 'join') await twin.request('POST', `/carparks/${carpark.carparkId}/waitlist`, { token: actor.token, body: { vehicleType: 'car', plate: plate(50 + s.who) } });
          if (s.kind === 'leave') await twin.request('DELETE', `/carparks/${carpark.carparkId}/waitlist/car`, { token: actor.token });
          const offer = await offerOf(actor);
          if (offer && s.kind === 'accept') {
            const res = await twin.request('POST', `/offers/${offer.offerId}/accept`, { token: actor.token, body: { quotedAt: new Date().toISOString() } });
            if (res.status === 202) holders.push({ actor, tenancyId: (res.json as { tenancy: { tenancyId: string } }).tenancy.tenancyId });
          }
          if (offer && s.kind === 'decline') await twin.request('POST', `/offers/${offer.offerId}/decline`, { token: actor.token });
          if (offer && s.kind === 'lapse') await lapseOffer(aWeekLater(), offer.offerId);
          if (s.kind === 'cancel' && holders.length > 0) {
            const holder = holders.splice(s.who % holders.length, 1)[0]!;
            await twin.request('DELETE', `/tenancies/${holder.tenancyId}`, { token: holder.actor.token });
          }
          await quiet();
          await expectCountsHold(carpark.carparkId);
        }
      }),
      { numRuns: 3 },
    );
  });
});
