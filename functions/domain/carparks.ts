import { ConflictError, ValidationError, type FieldIssue } from './errors';

export const VEHICLE_TYPES = ['car', 'motorcycle', 'van', 'ev'] as const;
export type VehicleType = (typeof VEHICLE_TYPES)[number];

/** Per vehicle type; a car park offers exactly the types it prices. */
export type PerVehicleType = Partial<Record<VehicleType, number>>;

export const CURRENCIES = ['gbp', 'eur', 'usd'] as const;
export type Currency = (typeof CURRENCIES)[number];

export interface Address {
  readonly line1: string;
  readonly line2?: string;
  readonly city: string;
  readonly postcode: string;
  readonly country: string;
}

export interface Carpark {
  readonly carparkId: string;
  readonly operatorId: string;
  readonly name: string;
  readonly address: Address;
  readonly currency: Currency;
  /** Monthly price in integer minor units (pence, cents) per offered vehicle type. */
  readonly prices: PerVehicleType;
  /** Spaces per offered vehicle type. */
  readonly capacity: PerVehicleType;
  /**
   * Spaces held by live tenancies and open waitlist offers, per vehicle type. Changed only by
   * tenancy and waitlist transactions.
   */
  readonly occupied: PerVehicleType;
  /** Of `occupied`, the spaces held by open waitlist offers, per vehicle type (offers counted, see WaitlistOffer). */
  readonly offered?: PerVehicleType;
  /** Tenants in the waitlist per vehicle type; while any wait, nobody rents that type directly. */
  readonly waiting?: PerVehicleType;
  /** How long a waitlist offer holds its space, in hours (48 when unset). */
  readonly offerHours?: number;
  /** How many plates one tenancy may whitelist, 1–3 (1 when unset); billing is one space. */
  readonly platesPerTenancy?: number;
  readonly smartParkingSiteId: string;
  readonly supportEmail: string;
  /** IANA time zone the car park's dates are written in (emails, the portal); Europe/London when unset. */
  readonly timeZone?: string;
  /** The car park's Stripe product and the current Stripe price of each offered type. */
  readonly stripeProductId?: string;
  readonly stripePrices?: Partial<Record<VehicleType, string>>;
  /**
   * How many times the prices have changed (absent: never). Part of each new Stripe price's
   * idempotency key, so a price set again (A → B → A) is a new price, never a replay of the first.
   */
  readonly priceVersion?: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const offeredTypes = (c: Pick<Carpark, 'prices'>): VehicleType[] =>
  VEHICLE_TYPES.filter((t) => c.prices[t] !== undefined);

/**
 * Free spaces per offered type, never negative. None while anyone waits for the type: a space
 * that falls free then is the first in line's (it is being offered), not for renting.
 */
export function spacesFree(c: Pick<Carpark, 'prices' | 'capacity' | 'occupied' | 'waiting'>): PerVehicleType {
  const free: PerVehicleType = {};
  for (const type of offeredTypes(c)) {
    free[type] = (c.waiting?.[type] ?? 0) > 0 ? 0 : Math.max(0, (c.capacity[type] ?? 0) - (c.occupied[type] ?? 0));
  }
  return free;
}

/**
 * A car park must give a capacity for every type it prices and price every type it has room
 * for; otherwise tenants could pick a type that can never be sold (or sold for nothing).
 */
export function assertPricesMatchCapacity(prices: PerVehicleType, capacity: PerVehicleType): void {
  const issues: FieldIssue[] = [];
  for (const type of VEHICLE_TYPES) {
    const priced = prices[type] !== undefined;
    const sized = capacity[type] !== undefined;
    if (priced && !sized) issues.push({ path: `capacity.${type}`, message: `Give a capacity for ${type}, which has a price.` });
    if (sized && !priced) issues.push({ path: `prices.${type}`, message: `Give a price for ${type}, which has a capacity.` });
  }
  if (Object.keys(prices).length === 0) issues.push({ path: 'prices', message: 'Price at least one vehicle type.' });
  if (issues.length > 0) throw new ValidationError('Prices and capacity must cover the same vehicle types.', issues);
}

/** Types whose new capacity would fall below the spaces already taken. */
export function capacityShortfalls(newCapacity: PerVehicleType, occupied: PerVehicleType): VehicleType[] {
  return VEHICLE_TYPES.filter((t) => newCapacity[t] !== undefined && (newCapacity[t] ?? 0) < (occupied[t] ?? 0));
}

/**
 * What a space of this type costs at the car park and the Stripe price that bills it: a 422 for a
 * type it does not offer, `409 carpark_not_ready` while its Stripe price is being made.
 */
export function offeredPrice(carpark: Pick<Carpark, 'prices' | 'stripePrices'>, type: VehicleType): { amount: number; priceId: string } {
  const amount = carpark.prices[type];
  if (amount === undefined) {
    throw new ValidationError('This car park has no spaces of that type.', [{ path: 'vehicleType', message: `Choose one of: ${Object.keys(carpark.prices).join(', ')}.` }]);
  }
  const priceId = carpark.stripePrices?.[type];
  if (!priceId) throw new ConflictError('carpark_not_ready', 'This car park is not ready to take bookings yet. Try again shortly.');
  return { amount, priceId };
}

/** How many plates one tenancy at the car park may whitelist. */
export const platesAllowed = (c: Pick<Carpark, 'platesPerTenancy'>): number => c.platesPerTenancy ?? 1;

/** The longest a waitlist offer may hold its space (a car park's `offerHours` is 1 to this). */
export const MAX_OFFER_HOURS = 168;
