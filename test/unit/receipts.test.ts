/**
 * Receipts and invoice periods come from the invoice's lines as Stripe has them: the service
 * period is the subscription lines' periods, each receipt line is one invoice line with the
 * tenancies it paid for, and a signed `invoice.paid` is checked against Stripe before anything
 * is recorded.
 */
import { describe, expect, it } from 'vitest';
import { servicePeriod, type InvoiceLine, type InvoiceSummary } from '../../functions/domain/billing';
import { portalLinks } from '../../functions/domain/email-format';
import { receiptText, recordInvoicePaid, tenanciesOnLine, type PaidInvoice, type PaymentDeps, type ReceiptClaim } from '../../functions/domain/payments';
import type { Tenancy } from '../../functions/domain/tenancies';
import type { TimelineEvent } from '../../functions/domain/tenancy-timeline';
import { FakeClock, fakeMailer } from './fakes';

const PRICE = 'price_car';
const D = (day: string) => `${day}T09:00:00.000Z`;

function line(overrides: Partial<InvoiceLine>): InvoiceLine {
  return { priceId: PRICE, description: '1 × Receipt Street (car)', quantity: 1, amount: 10_000, periodStart: D('2026-12-04'), periodEnd: D('2027-01-04'), proration: false, ...overrides };
}

function tenancy(id: string, plate: string, overrides: Partial<Tenancy> = {}): Tenancy {
  return {
    tenancyId: id,
    userId: 'usr_1',
    carparkId: 'cp_1',
    operatorId: 'op_1',
    vehicleType: 'car',
    plate,
    status: 'active',
    startDate: D('2026-12-04'),
    priceId: PRICE,
    monthlyAmount: 10_000,
    currency: 'gbp',
    barrier: { status: 'registered', changedAt: D('2026-12-04') },
    createdAt: D('2026-12-04'),
    updatedAt: D('2026-12-04'),
    ...overrides,
  };
}

function paid(lines: InvoiceLine[], amountPaid: number): PaidInvoice {
  return { invoiceId: 'in_1', customerId: 'cus_1', number: 'ABC-0001', amountPaid, currency: 'gbp', ...servicePeriod(lines, { periodStart: D('2026-11-04'), periodEnd: D('2026-12-04') }), lines };
}

const names = new Map([['cp_1', 'Receipt Street Car Park']]);
const plates = (l: InvoiceLine, ts: Tenancy[]) => tenanciesOnLine(l, ts).map((t) => t.plate);

describe('an invoice’s service period', () => {
  it('is the month its subscription lines bill for a first month, not the instant Stripe gathered items in', () => {
    const first = [line({})];
    expect(servicePeriod(first, { periodStart: D('2026-12-04'), periodEnd: D('2026-12-04') })).toEqual({ periodStart: D('2026-12-04'), periodEnd: D('2027-01-04') });
  });

  it('is the month ahead for a renewal, not the month before', () => {
    const renewal = [line({ periodStart: D('2027-01-04'), periodEnd: D('2027-02-04') })];
    expect(servicePeriod(renewal, { periodStart: D('2026-12-04'), periodEnd: D('2027-01-04') })).toEqual({ periodStart: D('2027-01-04'), periodEnd: D('2027-02-04') });
  });

  it('runs from the change to the period end for an invoice of prorations only, and ignores prorations beside regular lines', () => {
    const change = [
      line({ quantity: 1, amount: -5_000, periodStart: D('2026-12-19'), proration: true }),
      line({ quantity: 2, amount: 10_000, periodStart: D('2026-12-19'), proration: true }),
    ];
    expect(servicePeriod(change, { periodStart: D('2026-12-19'), periodEnd: D('2026-12-19') })).toEqual({ periodStart: D('2026-12-19'), periodEnd: D('2027-01-04') });
    const mixed = [line({ periodStart: D('2027-01-04'), periodEnd: D('2027-02-04') }), ...change];
    expect(servicePeriod(mixed, { periodStart: D('2026-12-04'), periodEnd: D('2027-01-04') })).toEqual({ periodStart: D('2027-01-04'), periodEnd: D('2027-02-04') });
  });

  it('falls back to Stripe’s period for an invoice without lines', () => {
    expect(servicePeriod([], { periodStart: D('2026-12-04'), periodEnd: D('2026-12-05') })).toEqual({ periodStart: D('2026-12-04'), periodEnd: D('2026-12-05') });
  });
});

const INVOICE_LINK = 'https://parking.test.example/my/billing?invoice=in_1';

describe('a receipt', () => {
  it('links to the invoice on the billing page', () => {
    expect(receiptText('Sam', paid([line({})], 10_000), [tenancy('t1', 'RX12ABC')], names, INVOICE_LINK)).toContain(`Your invoice: ${INVOICE_LINK}`);
  });

  it('for a first month names the month ahead and the one plate billed', () => {
    const text = receiptText('Sam', paid([line({})], 10_000), [tenancy('t1', 'RX12ABC')], names, INVOICE_LINK);
    expect(text).toContain('covering Friday 4 December 2026 to Monday 4 January 2027');
    expect(text).toContain('Receipt Street Car Park: car space for RX12ABC');
  });

  it('for a renewal leaves out an ended tenancy with the same plate and car park', () => {
    const renewal = line({ periodStart: D('2027-01-04'), periodEnd: D('2027-02-04') });
    const ended = tenancy('t0', 'RX12ABC', { status: 'ended', startDate: D('2026-10-04'), endsAt: D('2026-12-04') });
    const live = tenancy('t1', 'RX12ABC');
    expect(tenanciesOnLine(renewal, [ended, live]).map((t) => t.tenancyId)).toEqual(['t1']);
    const text = receiptText('Sam', paid([renewal], 10_000), [ended, live], names, INVOICE_LINK);
    expect(text).toContain('covering Monday 4 January 2027 to Thursday 4 February 2027');
    expect(text.match(/car space for RX12ABC/g)).toHaveLength(1);
  });

  it('for a prorated change shows each proration line with the tenancies it covers at that time', () => {
    const first = tenancy('t1', 'AA11AAA');
    const second = tenancy('t2', 'BB22BBB', { startDate: D('2026-12-19') });
    const credit = line({ description: 'Unused time on 1 × car after 19 Dec 2026', quantity: 1, amount: -5_000, periodStart: D('2026-12-19'), proration: true });
    const charge = line({ description: 'Remaining time on 2 × car after 19 Dec 2026', quantity: 2, amount: 10_000, periodStart: D('2026-12-19'), proration: true });
    expect(plates(credit, [first, second]), 'one space credited: the one there before').toEqual(['AA11AAA']);
    expect(plates(charge, [first, second]).sort()).toEqual(['AA11AAA', 'BB22BBB']);
    const text = receiptText('Sam', paid([credit, charge], 5_000), [first, second], names, INVOICE_LINK);
    expect(text).toContain('covering Saturday 19 December 2026 to Monday 4 January 2027');
    expect(text).toContain('Unused time on 1 × car after 19 Dec 2026: -£50.00, Saturday 19 December 2026 to Monday 4 January 2027 (adjustment for a change)');
  });

  it('for a corporate tenant lists every vehicle on a line of several, and only tenancies on that line’s price', () => {
    const fleet = ['FL01AAA', 'FL02BBB', 'FL03CCC'].map((p, i) => tenancy(`t${i}`, p));
    const van = tenancy('t9', 'VN09VAN', { vehicleType: 'van', priceId: 'price_van' });
    const failed = tenancy('t8', 'FL08FFF', { status: 'failed' });
    const cars = line({ quantity: 3, amount: 30_000 });
    const vans = line({ priceId: 'price_van', description: '1 × Receipt Street (van)', amount: 15_000 });
    expect(plates(cars, [...fleet, van, failed])).toEqual(['FL01AAA', 'FL02BBB', 'FL03CCC']);
    expect(plates(vans, [...fleet, van, failed])).toEqual(['VN09VAN']);
    const text = receiptText('Fleet Ltd', paid([cars, vans], 45_000), [...fleet, van, failed], names, INVOICE_LINK);
    expect(text).toContain('£450.00');
    expect(text).not.toContain('FL08FFF');
  });
});

describe('a signed invoice.paid', () => {
  const RECORDED_AT = D('2026-12-05');
  function deps(stripe: (InvoiceSummary & { customerId: string }) | undefined, held: Tenancy[] = [tenancy('t1', 'RX12ABC')]) {
    const claims: string[] = [];
    const renewals: string[] = [];
    const timeline: TimelineEvent[] = [];
    const revenue: unknown[] = [];
    const mailer = fakeMailer();
    const d: PaymentDeps = {
      invoices: { invoiceDetail: async () => stripe },
      payments: {
        userForCustomer: async (c) => (c === 'cus_1' ? 'usr_1' : undefined),
        claimReceipt: async (i) => (claims.push(`${i.invoiceId}:${i.amountPaid}:${i.periodStart}`), { claim: 'claimed' as ReceiptClaim, recordedAt: RECORDED_AT }),
        markReceiptSent: async () => undefined,
        releaseReceipt: async () => undefined,
      },
      users: { get: async () => ({ userId: 'usr_1', email: 'sam@test.example', name: 'Sam' }) as never },
      tenancies: {
        allOfUser: async () => held,
        transition: async (id, _from, changes) => (renewals.push(`${id}:${changes.renewsAt}`), undefined),
      },
      timeline: { record: async (events) => void timeline.push(...events) },
      stats: { recordRevenue: async (invoiceId, at, parts) => void revenue.push({ invoiceId, at, parts }) },
      carparks: { get: async () => ({ name: 'Receipt Street Car Park' }) as never },
      mailer,
      clock: new FakeClock(),
      links: portalLinks('https://parking.test.example'),
    };
    return { d, claims, mailer, renewals, timeline, revenue };
  }
  const stripeSays = (overrides: Partial<InvoiceSummary & { customerId: string }> = {}) => ({
    invoiceId: 'in_1',
    customerId: 'cus_1',
    number: 'ABC-0001',
    status: 'paid',
    amountDue: 10_000,
    amountPaid: 10_000,
    currency: 'gbp',
    periodStart: D('2026-12-04'),
    periodEnd: D('2027-01-04'),
    createdAt: D('2026-12-04'),
    hostedInvoiceUrl: null,
    lines: [line({})],
    ...overrides,
  });

  it('is recorded from Stripe’s invoice, not from the event’s body', async () => {
    const { d, claims } = deps(stripeSays());
    expect(await recordInvoicePaid(d, { invoiceId: 'in_1', customerId: 'cus_1' })).toBe('sent');
    expect(claims).toEqual([`in_1:10000:${D('2026-12-04')}`]);
  });

  it('moves the next renewal of the tenancies still renewed on to the end of the period paid for, never back', async () => {
    const held = [
      tenancy('t1', 'RX12ABC', { renewsAt: D('2026-12-04') }),
      tenancy('t2', 'RX22ABC', { renewsAt: D('2027-02-04') }),
      tenancy('t3', 'RX32ABC', { status: 'cancelling', renewsAt: D('2026-12-04') }),
      tenancy('t4', 'RX42ABC', { status: 'suspended', suspendedFrom: 'active' }),
      tenancy('t5', 'RX52ABC', { status: 'ended' }),
    ];
    const { d, renewals } = deps(stripeSays(), held);
    await recordInvoicePaid(d, { invoiceId: 'in_1', customerId: 'cus_1' });
    expect(renewals).toEqual([`t1:${D('2027-01-04')}`, `t4:${D('2027-01-04')}`]);
  });

  it('goes on the timeline of each tenancy its lines paid for, with that tenancy’s share, at the time the payment was first recorded', async () => {
    const held = [tenancy('t1', 'RX12ABC'), tenancy('t2', 'RX22ABC'), tenancy('t5', 'RX52ABC', { status: 'failed' })];
    const paidAt = RECORDED_AT;
    const { d, timeline, revenue } = deps(stripeSays({ amountPaid: 20_000, lines: [line({ quantity: 2, amount: 20_000 })] }), held);
    await recordInvoicePaid(d, { invoiceId: 'in_1', customerId: 'cus_1' });
    const detail = { invoiceId: 'in_1', number: 'ABC-0001', amount: 10_000, currency: 'gbp' };
    expect(timeline).toEqual([
      { tenancyId: 't1', at: paidAt, kind: 'invoice_paid', source: 'stripe', detail },
      { tenancyId: 't2', at: paidAt, kind: 'invoice_paid', source: 'stripe', detail },
    ]);
    // The dashboard's revenue: each share, attributed to its tenancy's car park.
    const share = { operatorId: 'op_1', carparkId: 'cp_1', amount: 10_000 };
    expect(revenue).toEqual([{ invoiceId: 'in_1', at: paidAt, parts: [share, share] }]);
  });

  it('is ignored when Stripe has the invoice still open', async () => {
    const { d, claims, mailer } = deps(stripeSays({ status: 'open', amountPaid: 0 }));
    expect(await recordInvoicePaid(d, { invoiceId: 'in_1', customerId: 'cus_1' })).toBe('not_paid');
    expect(claims).toEqual([]);
    expect(mailer.sent).toHaveLength(0);
  });

  it('is ignored when Stripe has the invoice for another customer, or not at all', async () => {
    expect(await recordInvoicePaid(deps(stripeSays({ customerId: 'cus_other' })).d, { invoiceId: 'in_1', customerId: 'cus_1' })).toBe('unknown_customer');
    expect(await recordInvoicePaid(deps(undefined).d, { invoiceId: 'in_1', customerId: 'cus_1' })).toBe('unknown_customer');
  });

  it('is ignored for a customer that is not the platform’s', async () => {
    const { d, claims } = deps(stripeSays({ customerId: 'cus_elsewhere' }));
    expect(await recordInvoicePaid(d, { invoiceId: 'in_1', customerId: 'cus_elsewhere' })).toBe('unknown_customer');
    expect(claims).toEqual([]);
  });
});
