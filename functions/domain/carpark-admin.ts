/**
 * Operator and car park use cases. Operators see and change their own car parks only; anyone
 * else asking about them gets a 404, as if they did not exist.
 */
import { DEFAULT_OFFER_HOURS, type SpaceReleases } from './waitlist';
import {
  VEHICLE_TYPES,
  assertPricesMatchCapacity,
  capacityShortfalls,
  platesAllowed,
  spacesFree,
  type Address,
  type Carpark,
  type Currency,
  type PerVehicleType,
  type VehicleType,
} from './carparks';
import type { Clock } from './clock';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from './errors';
import { canManageOperator, isAdmin, type Principal } from './identity';
import { newId } from './ids';
import type { Operator } from './operators';
import type { PaymentGateway } from './billing';
import type { CarparkChanges, CarparkRepository, OperatorRepository, Page } from './ports';
import { DEFAULT_TIME_ZONE } from './email-format';

export interface CarparkDeps {
  readonly operators: OperatorRepository;
  readonly carparks: CarparkRepository;
  readonly clock: Clock;
}

/** Creating and repricing car parks also keeps their Stripe prices. */
export interface CarparkWriteDeps extends CarparkDeps {
  readonly payments: Pick<PaymentGateway, 'createProduct' | 'createPrice' | 'deactivatePrice'>;
  /**
   * Tells the platform that a car park's prices changed, so its existing tenancies follow from
   * their next renewal (repricing.ts). Best effort: the nightly run catches what it misses.
   */
  readonly priceChanges: { announce(carparkId: string): Promise<void> };
  /** Spaces added to a type go to its waitlist first. */
  readonly spaces: SpaceReleases;
}

/**
 * Makes the car park's prices exist in Stripe: a product per car park and a price per vehicle
 * type and amount. Keys are derived from the car park, type and amount, so a retried request
 * reuses the same objects. A changed amount gets a new price; the old one stays active until the
 * car park's tenancies have moved off it (repricing.ts archives it then), so a tenancy being set
 * up on it meanwhile is not refused by Stripe. A dropped type's price (no tenancies) is archived
 * at once.
 */
async function syncStripePrices(
  deps: CarparkWriteDeps,
  carpark: Pick<Carpark, 'carparkId' | 'name' | 'currency' | 'prices' | 'stripeProductId' | 'stripePrices'>,
  previous?: Pick<Carpark, 'prices' | 'stripePrices' | 'priceVersion'>,
): Promise<{ stripeProductId: string; stripePrices: Partial<Record<VehicleType, string>>; priceVersion: number }> {
  // A retry of this very change reuses the version (and so gets the same prices back); the next
  // change has the next version, so an amount set again is a new price, not a replayed old one.
  const priceVersion = previous ? (previous.priceVersion ?? 0) + 1 : 0;
  const productId =
    carpark.stripeProductId ?? (await deps.payments.createProduct({ carparkId: carpark.carparkId, name: carpark.name }, `product-${carpark.carparkId}`));
  const stripePrices: Partial<Record<VehicleType, string>> = {};
  for (const type of VEHICLE_TYPES) {
    const amount = carpark.prices[type];
    const existing = previous?.stripePrices?.[type];
    if (amount === undefined) {
      if (existing) await deps.payments.deactivatePrice(existing);
      continue;
    }
    if (existing && previous?.prices[type] === amount) {
      stripePrices[type] = existing;
      continue;
    }
    stripePrices[type] = await deps.payments.createPrice(
      { carparkId: carpark.carparkId, productId, vehicleType: type, amount, currency: carpark.currency },
      `price-${carpark.carparkId}-v${priceVersion}-${type}-${amount}`,
    );
  }
  return { stripeProductId: productId, stripePrices, priceVersion };
}

/** What everyone may see of a car park. */
export interface CarparkView {
  readonly carparkId: string;
  readonly operatorId: string;
  readonly name: string;
  readonly address: Address;
  readonly currency: Currency;
  readonly prices: PerVehicleType;
  readonly capacity: PerVehicleType;
  readonly spacesFree: PerVehicleType;
  /** Tenants in the waitlist per type. */
  readonly waiting: PerVehicleType;
  /** How long a waitlist offer holds its space, in hours. */
  readonly offerHours: number;
  /** How many plates one tenancy may whitelist. */
  readonly platesPerTenancy: number;
  readonly supportEmail: string;
  readonly timeZone: string;
}

/** What its operator and admins also see. */
export interface ManagedCarparkView extends CarparkView {
  readonly occupied: PerVehicleType;
  readonly smartParkingSiteId: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export function toCarparkView(c: Carpark): CarparkView {
  return {
    carparkId: c.carparkId,
    operatorId: c.operatorId,
    name: c.name,
    address: c.address,
    currency: c.currency,
    prices: c.prices,
    capacity: c.capacity,
    spacesFree: spacesFree(c),
    waiting: c.waiting ?? {},
    offerHours: c.offerHours ?? DEFAULT_OFFER_HOURS,
    platesPerTenancy: platesAllowed(c),
    supportEmail: c.supportEmail,
    timeZone: c.timeZone ?? DEFAULT_TIME_ZONE,
  };
}

export function toManagedCarparkView(c: Carpark): ManagedCarparkView {
  return {
    ...toCarparkView(c),
    occupied: c.occupied,
    smartParkingSiteId: c.smartParkingSiteId,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

// --- operators ---------------------------------------------------------------------------------

export async function createOperator(
  deps: CarparkDeps,
  caller: Principal,
  input: { name: string; contactEmail: string },
): Promise<Operator> {
  if (!isAdmin(caller)) throw new ForbiddenError('Only an admin can create operators.');
  const operator: Operator = {
    operatorId: newId('op'),
    name: input.name,
    contactEmail: input.contactEmail.trim().toLowerCase(),
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.operators.create(operator);
  return operator;
}

export async function getOperator(
  deps: CarparkDeps,
  caller: Principal,
  operatorId: string,
): Promise<Operator & { carparks: ManagedCarparkView[] }> {
  const found = canManageOperator(caller, operatorId) ? await deps.operators.getWithCarparks(operatorId) : undefined;
  if (!found) throw new NotFoundError('Operator');
  return { ...found.operator, carparks: found.carparks.map(toManagedCarparkView) };
}

// --- car parks ---------------------------------------------------------------------------------

export interface CreateCarparkInput {
  /** Required for admins; operators create for their own operator and may omit it. */
  readonly operatorId?: string;
  readonly name: string;
  readonly address: Address;
  readonly currency: Currency;
  readonly prices: PerVehicleType;
  readonly capacity: PerVehicleType;
  readonly smartParkingSiteId: string;
  readonly supportEmail: string;
  /** IANA time zone; Europe/London when omitted. */
  readonly timeZone?: string;
}

export async function createCarpark(
  deps: CarparkWriteDeps,
  caller: Principal,
  input: CreateCarparkInput,
): Promise<ManagedCarparkView> {
  if (caller.role === 'tenant') throw new ForbiddenError('Only operators and admins can create car parks.');
  const operatorId = input.operatorId ?? (caller.role === 'operator' ? caller.operatorId : undefined);
  if (!operatorId) {
    throw new ValidationError('Say which operator runs this car park.', [{ path: 'operatorId', message: 'Required.' }]);
  }
  // Another operator's id is answered as if it did not exist.
  if (!canManageOperator(caller, operatorId)) throw new NotFoundError('Operator');
  return createCarparkFor(deps, operatorId, input);
}

/**
 * Creates a car park for an operator already known to exist, with its Stripe product and prices
 * (authorization is the caller's business). A given `carparkId` makes a retry reuse the same
 * Stripe objects (their idempotency keys are derived from it).
 */
export async function createCarparkFor(
  deps: CarparkWriteDeps,
  operatorId: string,
  input: Omit<CreateCarparkInput, 'operatorId'>,
  carparkId: string = newId('cp'),
): Promise<ManagedCarparkView> {
  assertPricesMatchCapacity(input.prices, input.capacity);

  // The site is the operator's before anything points at it: another operator's site is refused.
  await deps.carparks.claimSite(input.smartParkingSiteId, operatorId);
  const now = deps.clock.now().toISOString();
  const stripe = await syncStripePrices(deps, { carparkId, name: input.name, currency: input.currency, prices: input.prices });
  const carpark: Carpark = {
    ...stripe,
    carparkId,
    operatorId,
    name: input.name,
    address: input.address,
    currency: input.currency,
    prices: input.prices,
    capacity: input.capacity,
    occupied: {},
    smartParkingSiteId: input.smartParkingSiteId,
    supportEmail: input.supportEmail.trim().toLowerCase(),
    timeZone: input.timeZone ?? DEFAULT_TIME_ZONE,
    createdAt: now,
    updatedAt: now,
  };
  await deps.carparks.create(carpark);
  return toManagedCarparkView(carpark);
}

export async function listCarparks(
  deps: CarparkDeps,
  page: { limit: number; cursor?: string },
): Promise<Page<CarparkView>> {
  const found = await deps.carparks.list(page);
  return { ...found, items: found.items.map(toCarparkView) };
}

/** The public view; operators see the fuller one through their operator. */
export async function getCarpark(deps: CarparkDeps, carparkId: string): Promise<CarparkView> {
  const carpark = await deps.carparks.get(carparkId);
  if (!carpark) throw new NotFoundError('Car park');
  return toCarparkView(carpark);
}

export type UpdateCarparkInput = Omit<CarparkChanges, 'updatedAt'>;

export async function updateCarpark(
  deps: CarparkWriteDeps,
  caller: Principal,
  carparkId: string,
  input: UpdateCarparkInput,
): Promise<ManagedCarparkView> {
  const carpark = await deps.carparks.get(carparkId);
  if (!carpark || !canManageOperator(caller, carpark.operatorId)) throw new NotFoundError('Car park');

  const prices = input.prices ?? carpark.prices;
  const capacity = input.capacity ?? carpark.capacity;
  assertPricesMatchCapacity(prices, capacity);
  if (input.capacity) {
    // Checked here for a clear message, and again by the database against concurrent tenancies.
    const short = capacityShortfalls(input.capacity, carpark.occupied);
    if (short.length > 0) throw capacityConflict(short);
    // Types dropped from the car park must have no tenancies either.
    // ... nor anyone waiting for one, whose place in line would lead nowhere.
    const dropped = [...new Set([...Object.keys(carpark.occupied), ...Object.keys(carpark.waiting ?? {})])].filter(
      (t) =>
        ((carpark.occupied[t as keyof PerVehicleType] ?? 0) > 0 || (carpark.waiting?.[t as keyof PerVehicleType] ?? 0) > 0) &&
        input.capacity?.[t as keyof PerVehicleType] === undefined,
    );
    if (dropped.length > 0) throw capacityConflict(dropped);
  }
  if (input.smartParkingSiteId !== undefined && input.smartParkingSiteId !== carpark.smartParkingSiteId) {
    // Live tenancies are whitelisted (and their plates claimed) at the old site: move them first.
    if (Object.values(carpark.occupied).some((n) => (n ?? 0) > 0)) {
      throw new ConflictError('site_in_use', 'This car park has tenancies on its current SmartParking site; its site cannot change while they last.');
    }
    await deps.carparks.claimSite(input.smartParkingSiteId, carpark.operatorId);
  }
  const stripe = input.prices ? await syncStripePrices(deps, { ...carpark, prices: input.prices }, carpark) : {};
  const updated = await deps.carparks.update(carparkId, {
    ...input,
    ...stripe,
    ...(input.supportEmail ? { supportEmail: input.supportEmail.trim().toLowerCase() } : {}),
    updatedAt: deps.clock.now().toISOString(),
  });
  const repriced = VEHICLE_TYPES.some((t) => carpark.stripePrices?.[t] !== undefined && updated.stripePrices?.[t] !== carpark.stripePrices[t]);
  if (repriced) await deps.priceChanges.announce(carparkId);
  for (const type of VEHICLE_TYPES) {
    if ((updated.capacity[type] ?? 0) > (carpark.capacity[type] ?? 0) && (updated.waiting?.[type] ?? 0) > 0) await deps.spaces.freed(carparkId, type);
  }
  return toManagedCarparkView(updated);
}

export const capacityConflict = (types: readonly string[]) =>
  new ConflictError(
    'capacity_below_occupancy',
    `Capacity cannot go below the spaces already let (${types.join(', ')}).`,
  );
