/**
 * A tenancy's timeline: every billing, plate, barrier and status event in the order it happened,
 * each with its time and who or what caused it. Status, plate and barrier events are recorded in
 * the same transaction as the change they describe (the repository takes a `TimelineNote` beside
 * the change), so a change is never without its event nor an event without its change. Billing
 * events that change no tenancy (an invoice paid, a retry, a new card) are recorded on each
 * tenancy they concern, keyed by Stripe's own time for them, so a redelivered event rewrites the
 * same entry rather than adding one.
 */
import { NotFoundError } from './errors';
import { canManageOperator, isAdmin, type Principal } from './identity';
import type { Tenancy } from './tenancies';

export const TIMELINE_EVENT_KINDS = [
  'rented',
  'started',
  'authentication_requested',
  'activated',
  'setup_failed',
  'plate_registered',
  'plate_revoked',
  'plate_change_requested',
  'plate_changed',
  'plate_change_abandoned',
  'plate_add_requested',
  'plate_added',
  'plate_removed',
  'vehicle_change_requested',
  'vehicle_change_reverted',
  'price_changed',
  'invoice_paid',
  'payment_failed',
  'payment_retried',
  'card_updated',
  'suspended',
  'reinstated',
  'cancelled',
  'cancellation_undone',
  'ended',
] as const;
export type TimelineEventKind = (typeof TIMELINE_EVENT_KINDS)[number];

/** Who or what caused the event: a person by role, or the system that reported it. */
export const TIMELINE_SOURCES = ['tenant', 'operator', 'admin', 'platform', 'stripe'] as const;
export type TimelineSource = (typeof TIMELINE_SOURCES)[number];

/** A few facts about the event (an invoice id and amount, the old and new plate), never personal data. */
export type TimelineDetail = Readonly<Record<string, string | number>>;

/** What a change says about itself; its time is the change's `updatedAt`. */
export interface TimelineNote {
  readonly kind: TimelineEventKind;
  readonly source: TimelineSource;
  readonly detail?: TimelineDetail;
}

export interface TimelineEvent extends TimelineNote {
  readonly tenancyId: string;
  readonly at: string;
}

export interface TimelinePageQuery {
  readonly limit: number;
  readonly cursor?: string;
}

export interface TimelinePage {
  readonly items: TimelineEvent[];
  readonly nextCursor?: string;
}

export interface TenancyTimelineStore {
  /**
   * A page of the events, oldest first, and the tenancy itself (undefined when there is none).
   * One query of the tenancy's partition when the page reaches the end of the timeline (the
   * tenancy is read with it); a longer timeline's earlier pages read the tenancy after it.
   */
  pageWithTenancy(tenancyId: string, query: TimelinePageQuery): Promise<{ tenancy: Tenancy | undefined; page: TimelinePage }>;
  /** Events that change no tenancy, on each tenancy they concern (idempotent per tenancy, time and kind). */
  record(events: readonly TimelineEvent[]): Promise<void>;
}

/** The person's role as the source of what they did through the API. */
export const sourceOf = (caller: Principal): TimelineSource => caller.role;

export interface TimelineDeps {
  readonly timeline: Pick<TenancyTimelineStore, 'pageWithTenancy'>;
}

/**
 * The owner, the car park's operator or an admin (anyone else is told the tenancy does not
 * exist). Operators see the same events as the tenant: amounts are the tenancy's own, never the
 * tenant's other invoices.
 */
export async function tenancyTimeline(deps: TimelineDeps, caller: Principal, tenancyId: string, query: TimelinePageQuery) {
  // The tenancy (who may see it) and the page together; the page is dropped unless it is visible.
  const { tenancy, page } = await deps.timeline.pageWithTenancy(tenancyId, query);
  const visible = tenancy && (tenancy.userId === caller.userId || isAdmin(caller) || canManageOperator(caller, tenancy.operatorId));
  if (!tenancy || !visible) throw new NotFoundError('Tenancy');
  const seenInFull = tenancy.userId === caller.userId || isAdmin(caller);
  return { tenancyId, ...page, items: seenInFull ? page.items : page.items.map(eventAsSeenByOperator) };
}

/** The tenant's invoice (its id, number and total) may cover other operators' car parks. */
const TENANT_INVOICE_FIELDS = new Set(['invoiceId', 'number', 'amountDue']);

export function eventAsSeenByOperator(event: TimelineEvent): TimelineEvent {
  if (!event.detail) return event;
  const detail = Object.fromEntries(Object.entries(event.detail).filter(([k]) => !TENANT_INVOICE_FIELDS.has(k)));
  const { detail: _all, ...rest } = event;
  return Object.keys(detail).length > 0 ? { ...rest, detail } : rest;
}
