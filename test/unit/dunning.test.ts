/** The dunning use cases on in-memory ports: schedule, retries, suspension, settlement, card updates. */
import { describe, expect, it } from 'vitest';
import type { CollectibleInvoice, CollectionAttempt } from '../../functions/domain/billing';
import type { Carpark } from '../../functions/domain/carparks';
import {
  DEFAULT_RETRY_AFTER_DAYS,
  notifyArrears,
  openArrears,
  parseRetrySchedule,
  reattemptOpenInvoices,
  recordInvoiceSettled,
  retryInvoicePayment,
  settleArrears,
  suspendForArrears,
  type Arrears,
  type ArrearsStore,
  type DunningDeps,
} from '../../functions/domain/dunning';
import type { Tenancy, TenancyStatus } from '../../functions/domain/tenancies';
import type { TimelineEvent } from '../../functions/domain/tenancy-timeline';
import { FakeClock, fakeMailer } from './fakes';

const USER = 'usr_1';
const CUSTOMER = 'cus_1';
const INVOICE = 'in_1';
const DUE = '2026-12-24T09:00:00.000Z';

function invoice(overrides: Partial<CollectibleInvoice> = {}): CollectibleInvoice {
  return {
    invoiceId: INVOICE,
    customerId: CUSTOMER,
    number: 'ABC-0002',
    status: 'open',
    amountDue: 10_000,
    amountRemaining: 10_000,
    currency: 'gbp',
    hostedInvoiceUrl: 'https://invoice.example/in_1',
    dueSince: DUE,
    ...overrides,
  };
}

function tenancy(id: string, status: TenancyStatus, plate: string): Tenancy {
  return {
    tenancyId: id,
    userId: USER,
    carparkId: 'cp_1',
    operatorId: 'op_1',
    vehicleType: 'car',
    plate,
    status,
    startDate: '2026-11-24T09:00:00.000Z',
    priceId: 'price_1',
    monthlyAmount: 10_000,
    currency: 'gbp',
    barrier: { status: status === 'pending' ? 'pending' : 'registered', changedAt: '2026-11-24T09:00:00.000Z' },
    createdAt: '2026-11-24T09:00:00.000Z',
    updatedAt: '2026-11-24T09:00:00.000Z',
  };
}

function world(tenancies: Tenancy[] = [tenancy('tn_a', 'active', 'AA11AAA')]) {
  const invoices = new Map<string, CollectibleInvoice>([[INVOICE, invoice()]]);
  const payments: { invoiceId: string; key: string; paymentMethodId?: string }[] = [];
  let cardWorks = false;
  // A card whose bank wants every payment authenticated (3-D Secure), as Stripe's 3184 test card.
  let cardAsksForAuthentication = false;
  const arrears = new Map<string, Arrears>();
  const rows = new Map(tenancies.map((t) => [t.tenancyId, t]));
  const whitelist = new Set(tenancies.filter((t) => t.barrier.status === 'registered').flatMap((t) => [t.plate, ...(t.extraPlates ?? [])]));
  /** Plates another tenant's tenancy claims at the barrier (not in this world's rows). */
  const claimedElsewhere = new Set<string>();
  const mailer = fakeMailer();
  const seenKeys = new Map<string, CollectionAttempt>();

  const store: ArrearsStore = {
    async open(a) {
      const created = !arrears.has(a.invoiceId);
      if (created) arrears.set(a.invoiceId, a);
      return { arrears: arrears.get(a.invoiceId)!, created };
    },
    async get(_user, id) {
      return arrears.get(id);
    },
    async list() {
      return [...arrears.values()].sort((a, b) => a.since.localeCompare(b.since));
    },
    async markSuspended(_user, id, at) {
      const a = arrears.get(id);
      if (!a || a.state === 'settled') return undefined;
      arrears.set(id, { ...a, state: 'suspended', suspendedAt: a.suspendedAt ?? at });
      return arrears.get(id);
    },
    async markSettled(_user, id) {
      const a = arrears.get(id);
      if (a) arrears.set(id, { ...a, state: 'settled' });
      return a;
    },
    async remove(_user, id) {
      arrears.delete(id);
    },
    async claimNotice(_user, id) {
      const a = arrears.get(id) as (Arrears & { noticeClaimed?: boolean }) | undefined;
      if (!a || a.noticeClaimed) return false;
      arrears.set(id, { ...a, noticeClaimed: true } as Arrears);
      return true;
    },
    async releaseNotice(_user, id) {
      const { noticeClaimed: _claimed, ...rest } = arrears.get(id) as Arrears & { noticeClaimed?: boolean };
      arrears.set(id, rest);
    },
    async markAuthentication(_user, id, authenticate) {
      const { authenticate: _was, ...rest } = arrears.get(id)!;
      arrears.set(id, authenticate ? { ...rest, authenticate } : rest);
    },
  };

  const timeline = new Map<string, TimelineEvent>();
  const statsCalls: unknown[] = [];
  const apply = (t: Tenancy, changes: Partial<Tenancy>) => {
    const next = Object.fromEntries(Object.entries({ ...t, ...changes }).filter(([, v]) => v !== undefined)) as unknown as Tenancy;
    rows.set(t.tenancyId, next);
    return next;
  };

  const deps: DunningDeps = {
    gateway: {
      async getInvoice(id) {
        return invoices.get(id);
      },
      async payInvoice(id, options, key) {
        // Stripe's idempotency: the same key replays the first answer.
        if (seenKeys.has(key)) return seenKeys.get(key)!;
        payments.push({ invoiceId: id, key, ...(options.paymentMethodId ? { paymentMethodId: options.paymentMethodId } : {}) });
        const current = invoices.get(id)!;
        let result: CollectionAttempt = 'declined';
        if (current.status !== 'open') result = 'not_open';
        else if (cardWorks || options.paymentMethodId === 'pm_new') {
          invoices.set(id, { ...current, status: 'paid', amountRemaining: 0 });
          result = 'paid';
        } else if (cardAsksForAuthentication) result = 'authentication_required';
        seenKeys.set(key, result);
        return result;
      },
      async paymentNeedsAuthentication(id) {
        return cardAsksForAuthentication && invoices.get(id)?.status === 'open';
      },
    },
    payments: { userForCustomer: async (id) => (id === CUSTOMER ? USER : undefined) },
    arrears: store,
    tenancies: {
      async get(id) {
        return rows.get(id);
      },
      async listByUser() {
        return { items: [...rows.values()] };
      },
      async allOfUser() {
        return [...rows.values()];
      },
      async transition(id, from, changes) {
        const t = rows.get(id);
        if (!t || !from.includes(t.status)) return undefined;
        return apply(t, changes);
      },
      async suspendForArrears(t, stamp) {
        const a = arrears.get(stamp.invoiceId);
        const current = rows.get(t.tenancyId)!;
        if (!a || a.state === 'settled' || current.status !== t.status) return false;
        apply(current, { status: 'suspended', suspendedFrom: current.status as 'active' | 'cancelling', arrears: { ...stamp, state: 'suspended' } });
        return true;
      },
      // A plate is held for its revocation unless another tenancy claims it.
      async holdForRevocation(_t, plate) {
        return !claimedElsewhere.has(plate);
      },
      async endRevocationHold() {},
    },
    carparks: { get: async () => ({ carparkId: 'cp_1', smartParkingSiteId: 'SITE' }) as Carpark },
    barrier: {
      async register({ plate }) {
        whitelist.add(plate);
        return { registeredAt: new Date().toISOString() } as never;
      },
      async revoke({ plate }) {
        whitelist.delete(plate);
      },
    },
    users: { get: async () => ({ userId: USER, name: 'Tess', email: 'tess@test.example' }) as never },
    mailer,
    clock: new FakeClock(new Date(DUE)),
    timeline: {
      // Keyed as the table keys them: the same fact at the same time is one entry.
      async record(events) {
        for (const e of events) timeline.set(`${e.tenancyId}|${e.at}|${e.kind}|${String(e.detail?.invoiceId ?? '')}`, e);
      },
    },
    stats: {
      async recordPaymentFailed(invoiceId, at, since, parts) {
        statsCalls.push({ failed: invoiceId, at, since, parts });
      },
      async recordSettled(invoiceId, paid) {
        statsCalls.push({ settled: invoiceId, paid });
      },
    },
    retryAfterDays: DEFAULT_RETRY_AFTER_DAYS,
    billingPageUrl: 'https://parking.example/my/billing',
  };
  return {
    deps,
    timeline,
    statsCalls,
    invoices,
    payments,
    arrears,
    rows,
    whitelist,
    claimedElsewhere,
    mailer,
    fixCard: () => (cardWorks = true),
    cardAsksForAuthentication: (asks = true) => (cardAsksForAuthentication = asks),
    payOutOfBand: () => invoices.set(INVOICE, invoice({ status: 'paid', amountRemaining: 0 })),
  };
}

describe('the retry schedule', () => {
  it('defaults to retries 1, 3 and 5 days after the invoice fell due, and reads a configured one', () => {
    expect(parseRetrySchedule(undefined)).toEqual([1, 3, 5]);
    expect(parseRetrySchedule(' 2, 4 ,7 ')).toEqual([2, 4, 7]);
    expect(parseRetrySchedule('0.5')).toEqual([0.5]);
  });

  it('refuses a schedule that is not increasing positive days', () => {
    for (const bad of ['3,1', '1,1', '0', '-1', 'one', '1,,2']) expect(() => parseRetrySchedule(bad), bad).toThrow(/increasing positive/);
  });
});

describe('opening arrears', () => {
  it('records the invoice with its retry dates and shows it on every live tenancy', async () => {
    const w = world([tenancy('tn_a', 'active', 'AA11AAA'), tenancy('tn_b', 'cancelling', 'BB22BBB'), tenancy('tn_c', 'ended', 'CC33CCC')]);
    const result = await openArrears(w.deps, { invoiceId: INVOICE, customerId: CUSTOMER });
    expect(result).toEqual({ state: 'open', userId: USER, next: { attempt: 1, at: '2026-12-25T09:00:00.000Z' }, created: true });
    expect(w.arrears.get(INVOICE)?.retryAt).toEqual(['2026-12-25T09:00:00.000Z', '2026-12-27T09:00:00.000Z', '2026-12-29T09:00:00.000Z']);
    const stamp = { state: 'overdue', invoiceId: INVOICE, since: DUE, amountDue: 10_000, currency: 'gbp' };
    expect(w.rows.get('tn_a')?.arrears).toEqual(stamp);
    expect(w.rows.get('tn_b')?.arrears).toEqual(stamp);
    expect(w.rows.get('tn_c')?.arrears).toBeUndefined();
  });

  it('is a no-op for an invoice already settled, or a customer that is not ours', async () => {
    const w = world();
    w.payOutOfBand();
    expect(await openArrears(w.deps, { invoiceId: INVOICE, customerId: CUSTOMER })).toEqual({ state: 'settled' });
    w.invoices.set(INVOICE, invoice());
    expect(await openArrears(w.deps, { invoiceId: INVOICE, customerId: 'cus_other' })).toEqual({ state: 'unknown_customer' });
    expect(w.arrears.size).toBe(0);
  });

  it('settles at once when the invoice is paid while the arrears are being recorded', async () => {
    const w = world();
    const getInvoice = w.deps.gateway.getInvoice;
    let reads = 0;
    w.deps.gateway.getInvoice = async (id) => {
      // The first read sees it open; invoice.paid lands before the second.
      if (++reads === 2) w.payOutOfBand();
      return getInvoice(id);
    };
    // The workflow goes straight to SettleArrears, which has the grants to finish the job.
    expect(await openArrears(w.deps, { invoiceId: INVOICE, customerId: CUSTOMER })).toEqual({ state: 'paid_meanwhile', userId: USER });
    expect(w.rows.get('tn_a')?.arrears, 'no overdue stamp for a paid invoice').toBeUndefined();
    expect(await settleArrears(w.deps, { invoiceId: INVOICE, userId: USER })).toEqual({ settled: true, reinstated: [] });
    expect(w.arrears.size).toBe(0);
  });

  it('refuses an invoice Stripe says belongs to another customer', async () => {
    const w = world();
    w.invoices.set(INVOICE, invoice({ customerId: 'cus_someone_else' }));
    expect(await openArrears(w.deps, { invoiceId: INVOICE, customerId: CUSTOMER })).toEqual({ state: 'unknown_customer' });
    expect(w.arrears.size).toBe(0);
  });

  it('leaves a space’s first charge, held open for the tenant to authenticate, to its setup', async () => {
    for (const billingReason of ['subscription_create', 'subscription_update']) {
      const w = world();
      w.invoices.set(INVOICE, invoice({ billingReason }));
      expect(await openArrears(w.deps, { invoiceId: INVOICE, customerId: CUSTOMER })).toEqual({ state: 'setup_charge' });
      expect(w.arrears.size).toBe(0);
    }
  });

  it('gives the whole grace period from now when dunning starts late', async () => {
    const w = world();
    w.deps.clock.now = () => new Date('2027-01-10T12:00:00Z');
    await openArrears(w.deps, { invoiceId: INVOICE, customerId: CUSTOMER });
    expect(w.arrears.get(INVOICE)?.retryAt).toEqual(['2027-01-11T12:00:00.000Z', '2027-01-13T12:00:00.000Z', '2027-01-15T12:00:00.000Z']);
  });

  it('keeps the first schedule when the step runs again', async () => {
    const w = world();
    await openArrears(w.deps, { invoiceId: INVOICE, customerId: CUSTOMER });
    const first = w.arrears.get(INVOICE);
    w.deps.clock.now = () => new Date('2027-01-10T00:00:00Z');
    await openArrears(w.deps, { invoiceId: INVOICE, customerId: CUSTOMER });
    expect(w.arrears.get(INVOICE)).toEqual(first);
  });

  it('puts the failed payment on the timeline of each billed tenancy once, however often the step runs', async () => {
    const w = world([tenancy('tn_a', 'active', 'AA11AAA'), tenancy('tn_p', 'pending', 'PP11PPP'), tenancy('tn_c', 'ended', 'CC33CCC')]);
    await openArrears(w.deps, { invoiceId: INVOICE, customerId: CUSTOMER });
    w.deps.clock.now = () => new Date('2027-01-10T00:00:00Z');
    await openArrears(w.deps, { invoiceId: INVOICE, customerId: CUSTOMER });
    // Counted for the dashboard with the same time, on the car park of each billed tenancy.
    const counted = { failed: INVOICE, at: DUE, since: DUE, parts: [{ operatorId: 'op_1', carparkId: 'cp_1', amount: 10_000 }] };
    expect(w.statsCalls).toEqual([counted, counted]);
    expect([...w.timeline.values()]).toEqual([
      {
        tenancyId: 'tn_a',
        at: DUE,
        kind: 'payment_failed',
        source: 'stripe',
        detail: { invoiceId: INVOICE, amountDue: 10_000, currency: 'gbp' },
      },
    ]);
  });
});

describe('a scheduled retry', () => {
  it('charges once per attempt and names the next one until the schedule ends', async () => {
    const w = world();
    await openArrears(w.deps, { invoiceId: INVOICE, customerId: CUSTOMER });
    const input = { invoiceId: INVOICE, userId: USER };
    expect(await retryInvoicePayment(w.deps, { ...input, attempt: 1 })).toEqual({
      outcome: 'declined',
      next: { attempt: 2, at: '2026-12-27T09:00:00.000Z' },
    });
    expect(await retryInvoicePayment(w.deps, { ...input, attempt: 3 })).toEqual({ outcome: 'declined', next: null });
    const at = Date.parse(DUE);
    expect(w.payments.map((p) => p.key)).toEqual([`dunning-${INVOICE}-attempt-1-at-${at}`, `dunning-${INVOICE}-attempt-3-at-${at}`]);
  });

  it('never charges twice when a try is repeated after its charge went through', async () => {
    const w = world();
    await openArrears(w.deps, { invoiceId: INVOICE, customerId: CUSTOMER });
    w.fixCard();
    const input = { invoiceId: INVOICE, userId: USER, attempt: 1 };
    expect((await retryInvoicePayment(w.deps, input)).outcome).toBe('paid');
    // Step Functions retries the step (its response was lost): a new key, but the invoice is paid.
    w.deps.clock.now = () => new Date(Date.parse(DUE) + 5_000);
    expect((await retryInvoicePayment(w.deps, input)).outcome).toBe('settled');
    expect(w.payments).toHaveLength(1);
  });

  it('reports paid when the charge goes through, and settled without charging when paid meanwhile', async () => {
    const w = world();
    await openArrears(w.deps, { invoiceId: INVOICE, customerId: CUSTOMER });
    w.fixCard();
    expect(await retryInvoicePayment(w.deps, { invoiceId: INVOICE, userId: USER, attempt: 1 })).toEqual({ outcome: 'paid', next: null });

    const v = world();
    await openArrears(v.deps, { invoiceId: INVOICE, customerId: CUSTOMER });
    v.payOutOfBand();
    expect(await retryInvoicePayment(v.deps, { invoiceId: INVOICE, userId: USER, attempt: 1 })).toEqual({ outcome: 'settled', next: null });
    expect(v.payments).toEqual([]);
  });
});

describe('suspension after the grace period', () => {
  it('suspends active and cancelling tenancies, remembers what they were, and revokes their plates', async () => {
    const w = world([tenancy('tn_a', 'active', 'AA11AAA'), tenancy('tn_b', 'cancelling', 'BB22BBB'), tenancy('tn_p', 'pending', 'PP11PPP')]);
    await openArrears(w.deps, { invoiceId: INVOICE, customerId: CUSTOMER });
    const result = await suspendForArrears(w.deps, { invoiceId: INVOICE, userId: USER });
    expect(result).toEqual({ outcome: 'suspended', suspended: ['tn_a', 'tn_b'] });
    expect(w.rows.get('tn_a')).toMatchObject({ status: 'suspended', suspendedFrom: 'active', arrears: { state: 'suspended' }, barrier: { status: 'revoked' } });
    expect(w.rows.get('tn_b')).toMatchObject({ status: 'suspended', suspendedFrom: 'cancelling' });
    expect(w.rows.get('tn_p')?.status).toBe('pending');
    expect([...w.whitelist]).toEqual([]);
    expect(w.arrears.get(INVOICE)?.state).toBe('suspended');
  });

  it('takes every plate of a tenancy off the barrier, and settlement puts every one back', async () => {
    const w = world([{ ...tenancy('tn_a', 'active', 'AA11AAA'), extraPlates: ['AA22AAA', 'AA33AAA'] }]);
    expect([...w.whitelist].sort()).toEqual(['AA11AAA', 'AA22AAA', 'AA33AAA']);
    await openArrears(w.deps, { invoiceId: INVOICE, customerId: CUSTOMER });
    expect((await suspendForArrears(w.deps, { invoiceId: INVOICE, userId: USER })).suspended).toEqual(['tn_a']);
    expect([...w.whitelist]).toEqual([]);

    w.payOutOfBand();
    expect(await settleArrears(w.deps, { invoiceId: INVOICE, userId: USER })).toEqual({ settled: true, reinstated: ['tn_a'] });
    expect([...w.whitelist].sort()).toEqual(['AA11AAA', 'AA22AAA', 'AA33AAA']);
  });

  it('takes removed plates still in their paid period off too, but not one another tenancy claims now', async () => {
    const until = new Date(Date.parse(DUE) + 86_400_000).toISOString();
    const w = world([
      {
        ...tenancy('tn_a', 'active', 'AA11AAA'),
        retiredPlates: [
          { plate: 'RR11RRR', until },
          { plate: 'RR22RRR', until },
        ],
      },
    ]);
    w.whitelist.add('RR11RRR');
    w.whitelist.add('RR22RRR');
    w.claimedElsewhere.add('RR22RRR');
    await openArrears(w.deps, { invoiceId: INVOICE, customerId: CUSTOMER });
    await suspendForArrears(w.deps, { invoiceId: INVOICE, userId: USER });
    expect([...w.whitelist]).toEqual(['RR22RRR']);
  });

  it('suspends nothing when the invoice was paid in the meantime', async () => {
    const w = world();
    await openArrears(w.deps, { invoiceId: INVOICE, customerId: CUSTOMER });
    w.payOutOfBand();
    expect(await suspendForArrears(w.deps, { invoiceId: INVOICE, userId: USER })).toEqual({ outcome: 'settled', suspended: [] });
    expect(w.rows.get('tn_a')?.status).toBe('active');
    expect([...w.whitelist]).toEqual(['AA11AAA']);
  });
});

describe('settlement', () => {
  async function suspended() {
    const w = world([tenancy('tn_a', 'active', 'AA11AAA'), tenancy('tn_b', 'cancelling', 'BB22BBB')]);
    await openArrears(w.deps, { invoiceId: INVOICE, customerId: CUSTOMER });
    await suspendForArrears(w.deps, { invoiceId: INVOICE, userId: USER });
    w.payOutOfBand();
    return w;
  }

  it('reinstates each suspended tenancy to what it was, re-registers its plate and tells the tenant once', async () => {
    const w = await suspended();
    const stopped: string[] = [];
    const result = await recordInvoiceSettled(
      { ...w.deps, workflow: { stop: async (id) => void stopped.push(id) } },
      { invoiceId: INVOICE, customerId: CUSTOMER },
    );
    expect(result).toEqual({ settled: true, reinstated: ['tn_a', 'tn_b'] });
    expect(stopped).toEqual([INVOICE]);
    expect(w.rows.get('tn_a')).toMatchObject({ status: 'active', barrier: { status: 'registered' } });
    expect(w.rows.get('tn_a')?.arrears).toBeUndefined();
    expect(w.rows.get('tn_a')?.suspendedFrom).toBeUndefined();
    expect(w.rows.get('tn_b')?.status).toBe('cancelling');
    expect([...w.whitelist].sort()).toEqual(['AA11AAA', 'BB22BBB']);
    expect(w.mailer.sent.map((m) => m.subject)).toEqual(['Your parking is restored']);
    expect(w.arrears.size).toBe(0);

    // Delivered again: nothing more happens.
    expect(await settleArrears(w.deps, { invoiceId: INVOICE, userId: USER })).toEqual({ settled: false, reinstated: [] });
    expect(w.mailer.sent).toHaveLength(1);
  });

  it('finishes the job on a retry after the email failed', async () => {
    const w = await suspended();
    const send = w.deps.mailer.send.bind(w.deps.mailer);
    let failures = 1;
    w.deps.mailer.send = async (message) => {
      if (failures-- > 0) throw new Error('SES throttled');
      return send(message);
    };
    await expect(settleArrears(w.deps, { invoiceId: INVOICE, userId: USER })).rejects.toThrow('SES throttled');
    expect(w.rows.get('tn_a')?.status).toBe('active');
    expect(await settleArrears(w.deps, { invoiceId: INVOICE, userId: USER })).toEqual({ settled: true, reinstated: [] });
    expect(w.mailer.sent.map((m) => m.subject)).toEqual(['Your parking is restored']);
    expect(w.arrears.size).toBe(0);
  });

  it('leaves a tenancy suspended when its plate cannot be registered, so a retry finishes the job', async () => {
    const w = await suspended();
    const register = w.deps.barrier.register;
    w.deps.barrier.register = async () => {
      throw Object.assign(new Error('SmartParking down'), { name: 'BarrierUnavailable' });
    };
    await expect(settleArrears(w.deps, { invoiceId: INVOICE, userId: USER })).rejects.toThrow('SmartParking down');
    expect(w.rows.get('tn_a')?.status, 'not shown active without its plate').toBe('suspended');

    w.deps.barrier.register = register;
    expect(await settleArrears(w.deps, { invoiceId: INVOICE, userId: USER })).toEqual({ settled: true, reinstated: ['tn_a', 'tn_b'] });
    expect([...w.whitelist].sort()).toEqual(['AA11AAA', 'BB22BBB']);
    expect(w.mailer.sent.map((m) => m.subject)).toEqual(['Your parking is restored']);
  });

  it('gives a tenancy cancelled while suspended its plate back until its end date', async () => {
    const w = await suspended();
    await w.deps.tenancies.transition('tn_a', ['suspended'], { status: 'cancelling', updatedAt: '2026-12-30T00:00:00.000Z' });
    expect((await settleArrears(w.deps, { invoiceId: INVOICE, userId: USER })).reinstated).toContain('tn_a');
    expect(w.rows.get('tn_a')).toMatchObject({ status: 'cancelling', barrier: { status: 'registered' } });
    expect(w.rows.get('tn_a')?.suspendedFrom).toBeUndefined();
    expect(w.whitelist.has('AA11AAA')).toBe(true);
  });

  it('tells the tenant once when the consumer and the workflow settle together', async () => {
    const w = await suspended();
    await Promise.all([
      settleArrears(w.deps, { invoiceId: INVOICE, userId: USER }),
      settleArrears(w.deps, { invoiceId: INVOICE, userId: USER }),
    ]);
    expect(w.mailer.sent.map((m) => m.subject)).toEqual(['Your parking is restored']);
  });

  it('keeps tenancies suspended while another invoice is still unpaid', async () => {
    const w = await suspended();
    w.arrears.set('in_2', { ...w.arrears.get(INVOICE)!, invoiceId: 'in_2', state: 'overdue', since: '2027-01-24T09:00:00.000Z' });
    expect(await settleArrears(w.deps, { invoiceId: INVOICE, userId: USER })).toEqual({ settled: true, reinstated: [] });
    expect(w.rows.get('tn_a')).toMatchObject({ status: 'suspended', arrears: { invoiceId: 'in_2', state: 'suspended' } });
    expect(w.mailer.sent).toEqual([]);
  });

  it('ignores a signed settlement event that Stripe does not confirm: no arrears settled, nothing reinstated', async () => {
    const w = world();
    await openArrears(w.deps, { invoiceId: INVOICE, customerId: CUSTOMER });
    await suspendForArrears(w.deps, { invoiceId: INVOICE, userId: USER });
    const stopped: string[] = [];
    const deps = { ...w.deps, workflow: { stop: async (id: string) => void stopped.push(id) } };
    // The event claims the invoice is paid; Stripe still has it open.
    expect(await recordInvoiceSettled(deps, { invoiceId: INVOICE, customerId: CUSTOMER })).toEqual({ settled: false, reason: 'not_settled_at_stripe' });
    // The event names our customer, but Stripe has the invoice for another one.
    w.invoices.set(INVOICE, invoice({ status: 'paid', customerId: 'cus_someone_else' }));
    expect(await recordInvoiceSettled(deps, { invoiceId: INVOICE, customerId: CUSTOMER })).toEqual({ settled: false, reason: 'unknown_customer' });
    expect(stopped).toEqual([]);
    expect(w.rows.get('tn_a')?.status).toBe('suspended');
    expect(w.whitelist.size).toBe(0);
    expect((await w.deps.arrears.get(USER, INVOICE))?.state).toBe('suspended');
  });

  it('ignores an invoice that never went into arrears', async () => {
    const w = world();
    w.payOutOfBand();
    const stopped: string[] = [];
    const result = await recordInvoiceSettled(
      { ...w.deps, workflow: { stop: async (id) => void stopped.push(id) } },
      { invoiceId: INVOICE, customerId: CUSTOMER },
    );
    expect(result).toEqual({ settled: false, reinstated: [] });
    expect(stopped).toEqual([]);
  });
});

describe('dunning emails', () => {
  it('link pay-now in the portal and the hosted invoice, name the next retry and the last day of normal parking in words', async () => {
    const w = world();
    const opened = await openArrears(w.deps, { invoiceId: INVOICE, customerId: CUSTOMER });
    await notifyArrears(w.deps, { invoiceId: INVOICE, userId: USER, template: 'paymentFailed', next: opened.state === 'open' ? opened.next : null });
    const [mail] = w.mailer.sent;
    expect(mail?.subject).toBe('Your payment of £100.00 did not go through');
    expect(mail?.text).toContain('https://invoice.example/in_1');
    expect(mail?.text).toContain(`https://parking.example/my/billing?pay=${INVOICE}`);
    expect(mail?.text).toContain('try again on Friday 25 December 2026');
    expect(mail?.text).toContain('continues as normal until Tuesday 29 December 2026');
  });

  it('ask the tenant to confirm a payment the bank wants authenticated, linking the portal page that does it', async () => {
    const w = world();
    w.cardAsksForAuthentication();
    const opened = await openArrears(w.deps, { invoiceId: INVOICE, customerId: CUSTOMER });
    expect(w.arrears.get(INVOICE)?.authenticate).toBe(true);
    await notifyArrears(w.deps, { invoiceId: INVOICE, userId: USER, template: 'paymentFailed', next: opened.state === 'open' ? opened.next : null });
    const [mail] = w.mailer.sent;
    expect(mail?.subject).toBe('Please confirm your payment of £100.00');
    expect(mail?.text).toContain('Your bank asks you to confirm this payment');
    expect(mail?.text).toContain(`https://parking.example/my/billing/authenticate/${INVOICE}`);
    expect(mail?.text).not.toContain('?pay=');
  });

  it('follow what the last retry found: a card that stops asking for authentication gets the pay-now wording back', async () => {
    const w = world();
    w.cardAsksForAuthentication();
    const opened = await openArrears(w.deps, { invoiceId: INVOICE, customerId: CUSTOMER });
    w.cardAsksForAuthentication(false);
    expect(await retryInvoicePayment(w.deps, { invoiceId: INVOICE, userId: USER, attempt: 1 })).toMatchObject({ outcome: 'declined' });
    expect(w.arrears.get(INVOICE)?.authenticate).toBeUndefined();
    await notifyArrears(w.deps, { invoiceId: INVOICE, userId: USER, template: 'retryFailed', next: opened.state === 'open' ? opened.next : null });
    expect(w.mailer.sent.at(-1)?.text).toContain(`?pay=${INVOICE}`);

    w.cardAsksForAuthentication();
    await retryInvoicePayment(w.deps, { invoiceId: INVOICE, userId: USER, attempt: 2 });
    expect(w.arrears.get(INVOICE)?.authenticate).toBe(true);
    await notifyArrears(w.deps, { invoiceId: INVOICE, userId: USER, template: 'suspended' });
    expect(w.mailer.sent.at(-1)?.text).toContain(`/my/billing/authenticate/${INVOICE}`);
  });

  it('are not sent once the invoice is settled', async () => {
    const w = world();
    await openArrears(w.deps, { invoiceId: INVOICE, customerId: CUSTOMER });
    await w.deps.arrears.markSettled(USER, INVOICE);
    expect(await notifyArrears(w.deps, { invoiceId: INVOICE, userId: USER, template: 'retryFailed' })).toEqual({ sent: false });
  });
});

describe('a new card', () => {
  it('re-attempts each open invoice once per card, however many events the update raises', async () => {
    const w = world();
    const gateway = { ...w.deps.gateway, openInvoices: async () => [...w.invoices.values()].filter((i) => i.status === 'open') };
    const input = { customerId: CUSTOMER, paymentMethodId: 'pm_new' };
    expect(await reattemptOpenInvoices({ gateway, payments: w.deps.payments }, input)).toEqual([{ invoiceId: INVOICE, result: 'paid' }]);
    expect(await reattemptOpenInvoices({ gateway, payments: w.deps.payments }, input)).toEqual([]);
    expect(w.payments).toEqual([{ invoiceId: INVOICE, key: `reattempt-${INVOICE}-pm_new`, paymentMethodId: 'pm_new' }]);
  });

  it('of a Stripe customer that is not the platform’s charges nothing', async () => {
    const w = world();
    const gateway = { ...w.deps.gateway, openInvoices: async () => [...w.invoices.values()].filter((i) => i.status === 'open') };
    expect(await reattemptOpenInvoices({ gateway, payments: w.deps.payments }, { customerId: 'cus_elsewhere', paymentMethodId: 'pm_new' })).toBe('not_ours');
    expect(w.payments).toEqual([]);
  });
});
