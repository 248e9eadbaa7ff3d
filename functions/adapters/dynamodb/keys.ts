/**
 * Every key of the single table, in one place: no other module writes a key string.
 * docs/data-model.md lists the entities and the access patterns these keys serve.
 *
 * Items also carry `type` (the entity name), so a query over a shared partition (an operator
 * and its car parks) can tell them apart.
 */
import { foldLookAlikes } from '../../domain/plates';
import { tableSchema } from './table-schema';

export type Key = { pk: string; sk: string };

export const ENTITY = {
  user: 'user',
  emailClaim: 'emailClaim',
  loginThrottle: 'loginThrottle',
  passwordReset: 'passwordReset',
  emailChange: 'emailChange',
  operator: 'operator',
  carpark: 'carpark',
  tenancy: 'tenancy',
  plateClaim: 'plateClaim',
  siteClaim: 'siteClaim',
  billingAccount: 'billingAccount',
  billingLine: 'billingLine',
  arrears: 'arrears',
  reconciliationRun: 'reconciliationRun',
  stripeCustomer: 'stripeCustomer',
  payment: 'payment',
  supportTicket: 'supportTicket',
  rateLimit: 'rateLimit',
  xeroContactLink: 'xeroContactLink',
  plateSighting: 'plateSighting',
  tenancyEvent: 'tenancyEvent',
  statsMonth: 'statsMonth',
  statsTotals: 'statsTotals',
  statsOperatorMonth: 'statsOperatorMonth',
  statsOperatorTotals: 'statsOperatorTotals',
  statsMarker: 'statsMarker',
  waitlistEntry: 'waitlistEntry',
  waitlistMember: 'waitlistMember',
  waitlistOffer: 'waitlistOffer',
  operatorApplication: 'operatorApplication',
  openApplication: 'openApplication',
} as const;
export type EntityType = (typeof ENTITY)[keyof typeof ENTITY];

const item = (type: EntityType, id: string): Key => ({ pk: `${type}#${id}`, sk: type });
const TENANCY_EVENT_PREFIX = 'event#';

export const keys = {
  user: (userId: string) => item(ENTITY.user, userId),
  /** A corporate user's Xero contact, in the user's partition: one query reads the user and it. */
  xeroContactLink: (userId: string): Key => ({ pk: item(ENTITY.user, userId).pk, sk: 'xeroContact' }),
  userPartition: (userId: string) => item(ENTITY.user, userId).pk,
  /** Uniqueness claim on a (normalised) email. */
  emailClaim: (email: string) => item(ENTITY.emailClaim, email),
  loginThrottle: (email: string) => item(ENTITY.loginThrottle, email),
  passwordReset: (tokenHash: string) => item(ENTITY.passwordReset, tokenHash),
  /** A login email change waiting for its confirmation link (by the link's token hash). */
  emailChange: (tokenHash: string) => item(ENTITY.emailChange, tokenHash),
  operator: (operatorId: string) => item(ENTITY.operator, operatorId),
  carpark: (carparkId: string) => item(ENTITY.carpark, carparkId),
  tenancy: (tenancyId: string) => item(ENTITY.tenancy, tenancyId),
  /**
   * An event of a tenancy's timeline, in the tenancy's partition after its time: one query reads
   * the timeline in order. The same fact at the same time (a redelivery) has the same key. The
   * tenancy's own item (`tenancy`) sorts right after its events: a page that reaches the end of
   * the timeline reads it in the same query (tenancy-timeline.ts), so nothing else may sort between.
   */
  tenancyEvent: (tenancyId: string, at: string, kind: string, ref?: string): Key => ({
    pk: item(ENTITY.tenancy, tenancyId).pk,
    sk: `${TENANCY_EVENT_PREFIX}${at}#${kind}${ref ? `#${ref}` : ''}`,
  }),
  tenancyEventPrefix: TENANCY_EVENT_PREFIX,
  /**
   * One live tenancy per plate per barrier: the scope is `site:<SmartParking site id>` (car parks
   * sharing a site share the claim), or the car park id for tenancies created before sites were owned.
   */
  plateClaim: (scope: string, plate: string) => item(ENTITY.plateClaim, `${scope}#${plate}`),
  /**
   * A tenancy on a plate, under the plate's look-alike key (O/0, I/1, S/5, B/8 folded): one query
   * finds every tenancy a plate, as typed or misread, has had.
   */
  plateSighting: (folded: string, tenancyId: string): Key => ({ pk: `${ENTITY.plateSighting}#${folded}`, sk: `tenancy#${tenancyId}` }),
  plateSightingPartition: (folded: string) => `${ENTITY.plateSighting}#${folded}`,
  /** Which operator owns a SmartParking site id: claimed once, by one operator. */
  siteClaim: (siteId: string) => item(ENTITY.siteClaim, siteId),
  /** A tenant's billing account and its lines share a partition: one query reads them all. */
  billingAccount: (userId: string): Key => ({ pk: `billing#${userId}`, sk: 'account' }),
  billingLine: (userId: string, priceId: string): Key => ({ pk: `billing#${userId}`, sk: `line#${priceId}` }),
  billingPartition: (userId: string) => `billing#${userId}`,
  /** An unpaid invoice under dunning, beside the account: one query reads a tenant's arrears. */
  arrears: (userId: string, invoiceId: string): Key => ({ pk: `billing#${userId}`, sk: `arrears#${invoiceId}` }),
  arrearsPrefix: 'arrears#',
  /** Which tenant a Stripe customer is, for events that name only the customer. */
  stripeCustomer: (customerId: string) => item(ENTITY.stripeCustomer, customerId),
  /** A paid invoice and whether its receipt went out. */
  payment: (invoiceId: string) => item(ENTITY.payment, invoiceId),
  supportTicket: (ticketId: string) => item(ENTITY.supportTicket, ticketId),
  /** A counter per subject (e.g. `contact#<ip>`) and window. */
  rateLimit: (subject: string) => item(ENTITY.rateLimit, subject),
  /**
   * Dashboard statistics: every car park of an operator in one partition, a bucket per month
   * (`month#YYYY-MM#<carparkId>`, so a range of months is one query) and a running total per car
   * park, and the same for all its car parks together (`operator#month#YYYY-MM`, `operator#totals`).
   */
  statsPartition: (operatorId: string) => `stats#operator#${operatorId}`,
  statsMonth: (operatorId: string, carparkId: string, month: string): Key => ({ pk: `stats#operator#${operatorId}`, sk: `month#${month}#${carparkId}` }),
  statsTotals: (operatorId: string, carparkId: string): Key => ({ pk: `stats#operator#${operatorId}`, sk: `totals#${carparkId}` }),
  statsOperatorMonth: (operatorId: string, month: string): Key => ({ pk: `stats#operator#${operatorId}`, sk: `operator#month#${month}` }),
  statsOperatorTotals: (operatorId: string): Key => ({ pk: `stats#operator#${operatorId}`, sk: 'operator#totals' }),
  /** A payment counted in the statistics (`paid`, `failed`, `settled`): counted once however often delivered. */
  statsMarker: (what: 'paid' | 'failed' | 'settled', invoiceId: string) => item(ENTITY.statsMarker, `${what}#${invoiceId}`),
  /**
   * A car park's line for one vehicle type, in one partition: its entries in the order they
   * joined (`entry#<joinedAt>#<userId>`, so the head of the line is the first item and a position
   * is a count), and a member item per tenant (`member#<userId>`, so a tenant is in a line once).
   */
  waitlistPartition: (carparkId: string, vehicleType: string) => `waitlist#${carparkId}#${vehicleType}`,
  waitlistEntry: (carparkId: string, vehicleType: string, joinedAt: string, userId: string): Key => ({
    pk: `waitlist#${carparkId}#${vehicleType}`,
    sk: `entry#${joinedAt}#${userId}`,
  }),
  waitlistMember: (carparkId: string, vehicleType: string, userId: string): Key => ({ pk: `waitlist#${carparkId}#${vehicleType}`, sk: `member#${userId}` }),
  waitlistOffer: (offerId: string) => item(ENTITY.waitlistOffer, offerId),
  /** An application to become an operator. */
  operatorApplication: (applicationId: string) => item(ENTITY.operatorApplication, applicationId),
  /** A user's one open (pending) operator application: claimed when they apply, deleted when it is decided. */
  openApplication: (userId: string) => item(ENTITY.openApplication, userId),
  /** Reconciliation runs share a partition, newest last, for the admin's audit trail. */
  reconciliationRun: (startedAt: string): Key => ({ pk: 'reconciliation', sk: `run#${startedAt}` }),
};

const [gsi1, gsi2, gsi3] = tableSchema.globalSecondaryIndexes;

const operatorItem = (operatorId: string, sortKey: string) => ({ [gsi2.partitionKey]: `operator#${operatorId}`, [gsi2.sortKey]: sortKey });

/** Secondary-index keys, named after the access pattern they serve. */
export const indexKeys = {
  /** gsi1: every car park, for the public listing, in id order (tenancies use it per tenant). */
  allCarparks: (carparkId: string) => ({ [gsi1.partitionKey]: 'carparks', [gsi1.sortKey]: carparkId }),
  /**
   * gsi2: an operator, its car parks and its statistics share a partition. Sorted as
   * `bucket#<month>#<carparkId>` (a car park's month), `calendar#<month>` (the operator's month),
   * `carpark#<carparkId>`, `operator`, `operator#totals`, `totals#<carparkId>`
   * (`OPERATOR_ITEMS_SORT`). Months come oldest first, before the rest, so one range from the first
   * month wanted reads a dashboard's all: from `calendar#` to `operator#totals` for the whole
   * operator, from `bucket#` to the last `totals#` for its car parks one by one.
   */
  operatorItems: (operatorId: string, sortKey: string) => operatorItem(operatorId, sortKey),
  statsMonth: (operatorId: string, carparkId: string, month: string) => operatorItem(operatorId, `${OPERATOR_ITEMS_SORT.month}${month}#${carparkId}`),
  statsTotals: (operatorId: string, carparkId: string) => operatorItem(operatorId, `${OPERATOR_ITEMS_SORT.totals}${carparkId}`),
  statsOperatorMonth: (operatorId: string, month: string) => operatorItem(operatorId, `${OPERATOR_ITEMS_SORT.operatorMonth}${month}`),
  statsOperatorTotals: (operatorId: string) => operatorItem(operatorId, OPERATOR_ITEMS_SORT.operatorTotals),
};

/** The sort keys of an operator's gsi2 partition (see `indexKeys.operatorItems`), in their order. */
export const OPERATOR_ITEMS_SORT = {
  month: 'bucket#',
  operatorMonth: 'calendar#',
  carpark: 'carpark#',
  operator: 'operator',
  operatorTotals: 'operator#totals',
  totals: 'totals#',
} as const;

/**
 * User index keys, for the admin's user list: by email (gsi1, `users` / the email) and by name
 * (gsi2, `userNames` / the name in lower case, then the id: names are not unique). A prefix of
 * either is one query.
 */
export const userIndexKeys = (u: { userId: string; email: string; name: string }) => ({
  [gsi1.partitionKey]: USERS_BY_EMAIL,
  [gsi1.sortKey]: u.email,
  [gsi2.partitionKey]: USERS_BY_NAME,
  [gsi2.sortKey]: `${nameSortKey(u.name)}#${u.userId}`,
});
/** Operator index key, for the admin's operator list: gsi1, `operators` / the name in lower case, then the id. */
export const operatorIndexKeys = (o: { operatorId: string; name: string }) => ({
  [gsi1.partitionKey]: OPERATORS_BY_NAME,
  [gsi1.sortKey]: `${nameSortKey(o.name)}#${o.operatorId}`,
});
const OPERATORS_BY_NAME = 'operators';
const USERS_BY_EMAIL = 'users';
const USERS_BY_NAME = 'userNames';
/** Names are searched by prefix, in lower case with runs of spaces as one. */
export const nameSortKey = (name: string) => name.trim().toLowerCase().replace(/\s+/g, ' ');

/**
 * Operator application index keys: by applicant (gsi1, in the user's partition beside their
 * tenancies, newest last) and by status (gsi2, `operatorApplications#<status>`, oldest first), for
 * the admins' queue. A decision moves the application to its new status's partition.
 */
export const applicationIndexKeys = (a: { applicationId: string; userId: string; status: string; createdAt: string }) => ({
  [gsi1.partitionKey]: `user#${a.userId}`,
  [gsi1.sortKey]: `${APPLICATION_PREFIX}${a.createdAt}#${a.applicationId}`,
  ...applicationStatusIndexKeys(a),
});
export const applicationStatusIndexKeys = (a: { applicationId: string; status: string; createdAt: string }) => ({
  [gsi2.partitionKey]: `operatorApplications#${a.status}`,
  [gsi2.sortKey]: `${a.createdAt}#${a.applicationId}`,
});
const APPLICATION_PREFIX = 'operatorApplication#';

/** Tenancy index keys: by tenant (newest first), by car park and by its first plate. */
export const tenancyIndexKeys = (t: { userId: string; carparkId: string; tenancyId: string; createdAt: string; plate: string }) => ({
  [gsi1.partitionKey]: `user#${t.userId}`,
  [gsi1.sortKey]: `tenancy#${t.createdAt}#${t.tenancyId}`,
  [gsi2.partitionKey]: `carpark#${t.carparkId}`,
  [gsi2.sortKey]: `tenancy#${t.tenancyId}`,
  ...plateIndexKeys.tenancy(t),
});

/**
 * Plate index keys (gsi3, `plate#<look-alike key>` / `carpark#<carparkId>#…`): a tenancy under
 * its first plate, and every plate sighting under its plate. One query of a plate at a car park
 * reads the tenancies whose first plate it is, whole, and the sightings of any tenancy that has
 * held it (another of its plates, or its first before a change): only those tenancies need
 * reading after.
 */
export const plateIndexKeys = {
  tenancy: (t: { plate: string; carparkId: string; tenancyId: string }) => ({
    [gsi3.partitionKey]: `plate#${foldLookAlikes(t.plate)}`,
    [gsi3.sortKey]: `carpark#${t.carparkId}#tenancy#${t.tenancyId}`,
  }),
  sighting: (s: { folded: string; carparkId: string; tenancyId: string }) => ({
    [gsi3.partitionKey]: `plate#${s.folded}`,
    [gsi3.sortKey]: `carpark#${s.carparkId}#sighting#${s.tenancyId}`,
  }),
};

/** A tenant's place in a line (gsi1, beside their tenancies): one query lists the lines they are in. */
export const waitlistMemberIndexKeys = (m: { userId: string; carparkId: string; vehicleType: string }) => ({
  [gsi1.partitionKey]: `user#${m.userId}`,
  [gsi1.sortKey]: `waitlist#${m.carparkId}#${m.vehicleType}`,
});

/** Offers by tenant (gsi1) and by car park (gsi2), newest last. */
export const waitlistOfferIndexKeys = (o: { userId: string; carparkId: string; offeredAt: string; offerId: string }) => ({
  [gsi1.partitionKey]: `user#${o.userId}`,
  [gsi1.sortKey]: `offer#${o.offeredAt}#${o.offerId}`,
  [gsi2.partitionKey]: `carpark#${o.carparkId}`,
  [gsi2.sortKey]: `offer#${o.offeredAt}#${o.offerId}`,
});

export const INDEX = {
  allCarparks: { name: gsi1.indexName, partitionKey: gsi1.partitionKey, partitionValue: () => 'carparks' },
  operatorItems: {
    name: gsi2.indexName,
    partitionKey: gsi2.partitionKey,
    sortKey: gsi2.sortKey,
    partitionValue: (operatorId: string) => `operator#${operatorId}`,
  },
  operatorsByName: { name: gsi1.indexName, partitionKey: gsi1.partitionKey, sortKey: gsi1.sortKey, partitionValue: () => OPERATORS_BY_NAME },
  usersByEmail: { name: gsi1.indexName, partitionKey: gsi1.partitionKey, sortKey: gsi1.sortKey, partitionValue: () => USERS_BY_EMAIL },
  usersByName: { name: gsi2.indexName, partitionKey: gsi2.partitionKey, sortKey: gsi2.sortKey, partitionValue: () => USERS_BY_NAME },
  tenanciesByUser: { name: gsi1.indexName, partitionKey: gsi1.partitionKey, sortKey: gsi1.sortKey, partitionValue: (userId: string) => `user#${userId}` },
  applicationsByUser: {
    name: gsi1.indexName,
    partitionKey: gsi1.partitionKey,
    sortKey: gsi1.sortKey,
    partitionValue: (userId: string) => `user#${userId}`,
    prefix: APPLICATION_PREFIX,
  },
  applicationsByStatus: {
    name: gsi2.indexName,
    partitionKey: gsi2.partitionKey,
    sortKey: gsi2.sortKey,
    partitionValue: (status: string) => `operatorApplications#${status}`,
  },
  platesAtCarpark: {
    name: gsi3.indexName,
    partitionKey: gsi3.partitionKey,
    sortKey: gsi3.sortKey,
    partitionValue: (folded: string) => `plate#${folded}`,
    prefix: (carparkId: string) => `carpark#${carparkId}#`,
  },
  tenanciesByCarpark: {
    name: gsi2.indexName,
    partitionKey: gsi2.partitionKey,
    partitionValue: (carparkId: string) => `carpark#${carparkId}`,
  },
} as const;
