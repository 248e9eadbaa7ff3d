/**
 * A tenancy's timeline: billing, plate, barrier and status events in the order they happened,
 * each with its time and who or what caused it. Shown to the tenant in the portal and to the
 * operator and admins in the console (the API leaves the tenant's invoice out for operators).
 */
import { QueryError } from '../../../components/status';
import { longDate, money, timeAndDay, vehicleTypeName } from '../../../lib/format';
import { useTenancyTimeline, type TimelineEvent } from '../api';

const SOURCE_NAMES: Record<TimelineEvent['source'], string> = {
  tenant: 'Tenant',
  operator: 'Operator',
  admin: 'Admin',
  platform: 'Platform',
  stripe: 'Stripe',
};

const text = (value: string | number | undefined) => (value === undefined ? '' : String(value));
const amount = (detail: TimelineEvent['detail'], key: string) => {
  const minor = detail?.[key];
  const currency = detail?.currency;
  return typeof minor === 'number' && typeof currency === 'string' ? money(minor, currency) : undefined;
};

/** The event in words. */
export function describeEvent(event: TimelineEvent): string {
  const d = event.detail;
  switch (event.kind) {
    case 'rented': {
      const price = amount(d, 'monthlyAmount');
      return `Rented for ${text(d?.plate)} (${vehicleTypeName(text(d?.vehicleType))}${price ? `, ${price} a month` : ''})`;
    }
    case 'started':
      return 'Start date reached: billing began';
    case 'authentication_requested':
      return 'The bank asked for the first payment to be confirmed';
    case 'activated':
      return 'Active';
    case 'setup_failed':
      return `Did not start${d?.reason ? `: ${text(d.reason)}` : ''}`;
    case 'plate_registered':
      return `${text(d?.plate)} added to the barrier`;
    case 'plate_revoked':
      return `${text(d?.plate)} taken off the barrier`;
    case 'plate_change_requested':
      return `Plate change asked for: ${text(d?.from)} to ${text(d?.to)}`;
    case 'plate_changed':
      return `Plate changed: ${text(d?.from)} to ${text(d?.to)}`;
    case 'plate_change_abandoned':
      return `Plate change to ${text(d?.plate)} abandoned`;
    case 'plate_add_requested':
      return d?.replaces ? `Plate ${text(d?.plate)} to be added in place of removed ${text(d?.replaces)}` : `Plate ${text(d?.plate)} to be added`;
    case 'plate_added':
      return `Plate ${text(d?.plate)} added`;
    case 'plate_removed':
      return typeof d?.until === 'string' ? `Plate ${text(d?.plate)} removed; it opens the barrier until ${longDate(d.until)}` : `Plate ${text(d?.plate)} removed`;
    case 'vehicle_change_requested':
      return `Vehicle type change asked for: ${vehicleTypeName(text(d?.from))} to ${vehicleTypeName(text(d?.to))}`;
    case 'vehicle_change_reverted':
      return `Vehicle type change undone (the new price was not paid): ${vehicleTypeName(text(d?.to))} again`;
    case 'price_changed': {
      const from = amount(d, 'previousAmount');
      const to = amount(d, 'monthlyAmount');
      return `The car park's price changed${from && to ? ` from ${from} to ${to} a month` : ''}${typeof d?.from === 'string' ? `, paid from ${longDate(d.from)}` : ''}`;
    }
    case 'invoice_paid': {
      const paid = amount(d, 'amount');
      return `Invoice paid${d?.number ? ` (${text(d.number)})` : ''}${paid ? `: ${paid} for this space` : ''}`;
    }
    case 'payment_failed': {
      const due = amount(d, 'amountDue');
      return `Payment failed${due ? `: ${due} unpaid` : ''}`;
    }
    case 'payment_retried': {
      const outcome = d?.outcome === 'paid' ? 'paid' : d?.outcome === 'settled' ? 'already settled' : 'declined';
      return `Payment tried again${d?.attempt ? ` (attempt ${text(d.attempt)})` : ''}: ${outcome}`;
    }
    case 'card_updated':
      return 'Card updated';
    case 'suspended':
      return 'Suspended for non-payment';
    case 'reinstated':
      return 'Reinstated: the unpaid invoice was settled';
    case 'cancelled':
      return d?.before === 'start' ? 'Cancelled before its start' : d?.before ? `Cancelled before the ${text(d.before)}` : 'Cancelled';
    case 'cancellation_undone':
      return 'Cancellation taken back';
    case 'ended':
      return 'Ended';
  }
}

export function TenancyTimeline({ tenancyId, version }: { tenancyId: string; version: string | undefined }) {
  const timeline = useTenancyTimeline(tenancyId, version);
  const events = timeline.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="card" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Timeline</h2>
      {timeline.isPending && <p className="muted">Loading the timeline…</p>}
      {timeline.isError && <QueryError error={timeline.error} retry={() => void timeline.refetch()} />}
      {timeline.isSuccess && events.length === 0 && <p className="muted">Nothing recorded yet.</p>}
      {events.length > 0 && (
        <ol className="timeline" data-testid="timeline">
          {events.map((e) => (
            <li key={`${e.at}|${e.kind}|${text(e.detail?.invoiceId)}`} data-kind={e.kind}>
              <time dateTime={e.at}>{timeAndDay(e.at)}</time>
              <span className="timeline-what">{describeEvent(e)}</span>
              <span className="timeline-source muted">{SOURCE_NAMES[e.source]}</span>
            </li>
          ))}
        </ol>
      )}
      {timeline.hasNextPage && (
        <button type="button" className="secondary" disabled={timeline.isFetchingNextPage} onClick={() => void timeline.fetchNextPage()}>
          {timeline.isFetchingNextPage ? 'Loading more…' : 'Show more'}
        </button>
      )}
    </section>
  );
}
