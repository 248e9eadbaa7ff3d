/**
 * Random tenancy operations interleaved with suspension for arrears, settlement, cancellation and
 * the barrier reconciliation, in concurrent bursts. After every burst each barrier whitelist must
 * equal the plates of the paid, live tenancies at its site: active or cancelling, never suspended
 * (cancelled or not). Cancelled tenancies wait for the end of their paid month (scaled to minutes),
 * so a cancelled, suspended tenancy stays in view long enough for any path to whitelist it wrongly.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenancy } from '../../functions/domain/tenancies';
import { pollUntil } from '../../local/ports';
import { startTestTwin, type TestTwin } from '../support/twin';
import { createCast, signUp, type Actor, type Cast } from './actors';
import { addCard, createCarpark, whitelist } from './tenancy-helpers';

let twin: TestTwin;
let cast: Cast;
beforeAll(async () => {
  // A month of waiting takes about 4 minutes: no cancellation ends during the test.
  twin = await startTestTwin({ waitScale: 1e-4 });
  cast = await createCast(twin);
});
afterAll(() => twin?.close());

type Op =
  | { kind: 'create'; tenant: number; carpark: number; plate: number }
  | { kind: 'cancel'; pick: number }
  | { kind: 'suspend'; tenant: number }
  | { kind: 'settle'; tenant: number }
  | { kind: 'reconcile' };

const PLATES = Array.from({ length: 12 }, (_, i) => `SM${String(i).padStart(2, '0')}XYZ`);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('create' as const), tenant: fc.nat(1), carpark: fc.nat(1), plate: fc.nat(PLATES.length - 1) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('suspend' as const), tenant: fc.nat(1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('settle' as const), tenant: fc.nat(1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reconcile' as const) }) },
);

const BURST = 8;
const ROUNDS = 12;

describe('suspension, cancellation and reconciliation interleaved with tenancy operations', () => {
  it('leave every whitelist equal to the paid, live tenancies at its site', { timeout: 300_000 }, async () => {
    const [{ dunningDeps }, { handler: reconcile }] = await Promise.all([
      import('../../functions/adapters/wiring/dunning'),
      import('../../functions/handlers/jobs/reconcile-barriers'),
    ]);
    const { suspendForArrears, settleArrears } = await import('../../functions/domain/dunning');
    const tenants: Actor[] = [];
    for (const i of [0, 1]) {
      const tenant = await signUp(twin, `suspension-model.${i}@test.example`);
      await addCard(twin, tenant);
      tenants.push(tenant);
    }
    const carparks = [await createCarpark(twin, cast.operatorX), await createCarpark(twin, cast.operatorY)];
    const known: { tenancyId: string; tenant: Actor }[] = [];
    const invoices = new Map<string, string[]>();
    let invoiceCount = 0;
    const openInvoice = { getInvoice: async () => ({ status: 'open' }) } as unknown as typeof dunningDeps.gateway;

    const run = async (o: Op): Promise<number> => {
      switch (o.kind) {
        case 'create': {
          const tenant = tenants[o.tenant]!;
          const res = await twin.request('POST', '/tenancies', {
            token: tenant.token,
            body: { carparkId: carparks[o.carpark]!.carparkId, vehicleType: 'car', plate: PLATES[o.plate] },
          });
          if (res.status === 202) known.push({ tenancyId: (res.json as { tenancy: Tenancy }).tenancy.tenancyId, tenant });
          return res.status;
        }
        case 'cancel': {
          const target = known[o.pick % Math.max(known.length, 1)];
          if (!target) return 0;
          return (await twin.request('DELETE', `/tenancies/${target.tenancyId}`, { token: target.tenant.token })).status;
        }
        case 'suspend': {
          // What the dunning workflow does once the grace period is over and the invoice is unpaid.
          const tenant = tenants[o.tenant]!;
          const invoiceId = `in_model_${++invoiceCount}`;
          const at = new Date().toISOString();
          await dunningDeps.arrears.open({
            userId: tenant.userId, customerId: 'cus_model', invoiceId, number: null, amountDue: 10_000, currency: 'gbp',
            hostedInvoiceUrl: null, since: at, retryAt: [], state: 'overdue',
          });
          invoices.set(tenant.userId, [...(invoices.get(tenant.userId) ?? []), invoiceId]);
          await suspendForArrears({ ...dunningDeps, gateway: openInvoice }, { invoiceId, userId: tenant.userId });
          return 200;
        }
        case 'settle': {
          const tenant = tenants[o.tenant]!;
          const open = invoices.get(tenant.userId) ?? [];
          invoices.set(tenant.userId, []);
          for (const invoiceId of open) await settleArrears(dunningDeps, { invoiceId, userId: tenant.userId });
          return 200;
        }
        case 'reconcile':
          await (reconcile as unknown as (e: unknown, c: unknown) => Promise<unknown>)({}, { awsRequestId: 'model', functionName: 'ReconcileBarriers', getRemainingTimeInMillis: () => 60_000 });
          return 200;
      }
    };

    const settled = () =>
      pollUntil(async () => ['TenancySetup', 'PlateChange', 'VehicleChange'].every((w) => twin.integrations.workflows.list(w, 'RUNNING').length === 0), {
        timeoutMs: 60_000,
        describeFailure: () => 'setup workflows still running after 60 s',
      });

    const tenanciesOf = async (tenant: Actor) => {
      const items: Tenancy[] = [];
      let cursor: string | undefined;
      do {
        const res = await twin.request('GET', `/tenancies?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: tenant.token });
        const page = res.json as { items: Tenancy[]; nextCursor?: string };
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return items;
    };

    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: BURST * ROUNDS, maxLength: BURST * ROUNDS }), async (ops) => {
        for (let i = 0; i < ops.length; i += BURST) {
          const statuses = await Promise.all(ops.slice(i, i + BURST).map(run));
          expect(statuses.filter((s) => s >= 500)).toEqual([]);
          await settled();
          const tenancies = (await Promise.all(tenants.map(tenanciesOf))).flat();
          for (const t of tenancies) seen.add(t.suspendedFrom === 'cancelling' ? 'suspended+cancelled' : t.status);
          for (const carpark of carparks) {
            const paid = tenancies.filter((t) => t.carparkId === carpark.carparkId && (t.status === 'active' || t.status === 'cancelling') && t.arrears?.state !== 'suspended');
            expect(whitelist(twin, carpark.siteId), `after burst ${i / BURST} at ${carpark.siteId}`).toEqual(paid.map((t) => t.plate).sort());
          }
        }
      }),
      { numRuns: 1, endOnFailure: true, seed: 20261204 },
    );
    // The workload reached the states that matter.
    expect([...seen]).toEqual(expect.arrayContaining(['active', 'cancelling', 'suspended', 'suspended+cancelled']));
  });
});
