/**
 * 1,000 random creates, cancellations, plate changes and vehicle changes by three tenants (one with a card that
 * is always declined), issued in concurrent bursts against two small car parks. Afterwards the
 * books must balance: every car park's occupied counters, every tenant's Stripe quantities and
 * every barrier whitelist equal what the live tenancies say, and no space was ever oversold.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenancy } from '../../functions/domain/tenancies';
import { pollUntil } from '../../local/ports';
import { startTestTwin, type TestTwin } from '../support/twin';
import { createCast, signUp, type Actor, type Cast } from './actors';
import { addCard, billedQuantities, createCarpark, whitelist } from './tenancy-helpers';

let twin: TestTwin;
let cast: Cast;
beforeAll(async () => {
  twin = await startTestTwin();
  cast = await createCast(twin);
});
afterAll(() => twin?.close());

type Op =
  | { kind: 'create'; tenant: number; carpark: number; type: 'car' | 'motorcycle'; plate: number }
  | { kind: 'cancel'; pick: number }
  | { kind: 'change'; pick: number; plate: number }
  | { kind: 'vehicle'; pick: number; type: 'car' | 'motorcycle' };

const PLATES = Array.from({ length: 30 }, (_, i) => `MD${String(i).padStart(2, '0')}XYZ`);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('create' as const), tenant: fc.nat(2), carpark: fc.nat(1), type: fc.constantFrom('car' as const, 'motorcycle' as const), plate: fc.nat(PLATES.length - 1) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('change' as const), pick: fc.nat(), plate: fc.nat(PLATES.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('vehicle' as const), pick: fc.nat(), type: fc.constantFrom('car' as const, 'motorcycle' as const) }) },
);

const BURST = 25;

describe('a random workload of tenancy operations', () => {
  it('keeps counters, Stripe quantities and whitelists equal to the live tenancies', { timeout: 600_000 }, async () => {
    const tenants: Actor[] = [];
    for (const [i, card] of ['pm_card_visa', 'pm_card_visa', 'pm_card_chargeCustomerFail'].entries()) {
      const tenant = await signUp(twin, `model.${i}@test.example`);
      await addCard(twin, tenant, card);
      tenants.push(tenant);
    }
    const capacity = { car: 6, motorcycle: 2 };
    const carparks = [
      await createCarpark(twin, cast.operatorX, { capacity }),
      await createCarpark(twin, cast.operatorY, { capacity }),
    ];
    const known: { tenancyId: string; tenant: Actor }[] = [];
    const answers = new Map<number, number>();

    const run = async (o: Op) => {
      if (o.kind === 'create') {
        const tenant = tenants[o.tenant]!;
        const res = await twin.request('POST', '/tenancies', {
          token: tenant.token,
          body: { carparkId: carparks[o.carpark]!.carparkId, vehicleType: o.type, plate: PLATES[o.plate] },
        });
        if (res.status === 202) known.push({ tenancyId: (res.json as { tenancy: Tenancy }).tenancy.tenancyId, tenant });
        return res.status;
      }
      const target = known[o.pick % Math.max(known.length, 1)];
      if (!target) return 0;
      const path = `/tenancies/${target.tenancyId}`;
      const token = target.tenant.token;
      const res =
        o.kind === 'cancel'
          ? await twin.request('DELETE', path, { token })
          : await twin.request('PATCH', path, { token, body: o.kind === 'change' ? { plate: PLATES[o.plate] } : { vehicleType: o.type } });
      return res.status;
    };

    const idle = () =>
      pollUntil(async () => ['TenancySetup', 'TenancyCancellation', 'PlateChange', 'VehicleChange'].every((w) => twin.integrations.workflows.list(w, 'RUNNING').length === 0), {
        timeoutMs: 60_000,
        describeFailure: () => 'workflows still running after 60 s',
      });

    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1000, maxLength: 1000 }), async (ops) => {
        for (let i = 0; i < ops.length; i += BURST) {
          const statuses = await Promise.all(ops.slice(i, i + BURST).map(run));
          for (const status of statuses) answers.set(status, (answers.get(status) ?? 0) + 1);
          expect(statuses.filter((s) => s >= 500)).toEqual([]);
          await idle();
        }
      }),
      { numRuns: 1, endOnFailure: true, seed: 20261124 },
    );

    // The workload exercised every path: successes, full car parks, plates in use, busy tenancies.
    expect(answers.get(202)).toBeGreaterThan(50);
    expect(answers.get(409)).toBeGreaterThan(50);

    const tenancies = (await Promise.all(
      tenants.map(async (t) => {
        const items: Tenancy[] = [];
        let cursor: string | undefined;
        do {
          const res = await twin.request('GET', `/tenancies?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: t.token });
          const page = res.json as { items: Tenancy[]; nextCursor?: string };
          items.push(...page.items);
          cursor = page.nextCursor;
        } while (cursor);
        return items;
      }),
    )).flat();
    expect(tenancies.filter((t) => t.status === 'pending' || t.status === 'cancelling')).toEqual([]);
    expect(tenancies.filter((t) => 'pendingPlate' in t || 'previousVehicle' in t)).toEqual([]);
    const active = tenancies.filter((t) => t.status === 'active');

    for (const carpark of carparks) {
      const here = active.filter((t) => t.carparkId === carpark.carparkId);
      const { carparkRepository } = await import('../../functions/adapters/dynamodb/repositories');
      const stored = (await carparkRepository.get(carpark.carparkId))!;
      for (const type of ['car', 'motorcycle'] as const) {
        const live = here.filter((t) => t.vehicleType === type).length;
        expect(stored.occupied[type] ?? 0, `${carpark.carparkId} ${type}`).toBe(live);
        expect(live).toBeLessThanOrEqual(capacity[type]);
      }
      expect(whitelist(twin, carpark.siteId)).toEqual(here.map((t) => t.plate).sort());
      expect(new Set(here.map((t) => t.plate)).size).toBe(here.length);
    }
    for (const tenant of tenants) {
      const expected: Record<string, number> = {};
      for (const t of active.filter((a) => a.userId === tenant.userId)) expected[t.priceId] = (expected[t.priceId] ?? 0) + 1;
      expect(await billedQuantities(twin, tenant), tenant.email).toEqual(expected);
    }
  });
});
