/**
 * A car park's address, currency, spaces and prices as form fields, shared by the console's car
 * park form and the operator application (whose fields sit under `carpark.`). Prices are typed in
 * pounds (or the car park's currency) and sent in minor units; field names are the API's paths
 * (`prices.car`, `address.postcode`), so its 422 messages land beside their fields.
 */
import type { Carpark } from '../lib/api/types';
import { vehicleTypeName } from '../lib/format';
import { readMonthlyPrice } from '../lib/monthly-price';
import { SelectField, TextField } from './form';

export type VehicleType = Extract<keyof Carpark['prices'], string>;
export const VEHICLE_TYPES: readonly VehicleType[] = ['car', 'motorcycle', 'van', 'ev'];
type PerType = Partial<Record<VehicleType, number>>;

const pounds = (minor: number | undefined) => (minor === undefined ? '' : (minor / 100).toFixed(2));

/** Every field name these fields use, under `prefix`: for the form's summary of field messages. */
export const carparkFieldNames = (prefix = '') =>
  [
    'name',
    'address.line1',
    'address.line2',
    'address.city',
    'address.postcode',
    'address.country',
    'currency',
    'smartParkingSiteId',
    'supportEmail',
    ...VEHICLE_TYPES.flatMap((t) => [`prices.${t}`, `capacity.${t}`]),
  ].map((name) => `${prefix}${name}`);

/** Spaces and prices as typed, in minor units, and what could not be read (by field name). */
export function parseSpaces(values: Record<string, string>, prefix = '') {
  const prices: PerType = {};
  const capacity: PerType = {};
  const problems: { path: string; message: string }[] = [];
  for (const type of VEHICLE_TYPES) {
    const price = values[`${prefix}prices.${type}`];
    const spaces = values[`${prefix}capacity.${type}`];
    if (price !== undefined) {
      const read = readMonthlyPrice(price);
      if ('problem' in read) problems.push({ path: `${prefix}prices.${type}`, message: read.problem });
      else prices[type] = read.minor;
    }
    if (spaces !== undefined) {
      if (!/^\s*\d{1,6}\s*$/.test(spaces)) problems.push({ path: `${prefix}capacity.${type}`, message: 'Enter a whole number of spaces.' });
      else capacity[type] = Number(spaces);
    }
  }
  return { prices, capacity, problems };
}

export function addressFrom(values: Record<string, string>, prefix = '') {
  const value = (name: string) => values[`${prefix}address.${name}`] ?? '';
  return {
    line1: value('line1'),
    ...(value('line2') ? { line2: value('line2') } : {}),
    city: value('city'),
    postcode: value('postcode'),
    country: value('country').toUpperCase(),
  };
}

export function AddressFields({ prefix = '', existing, error }: { prefix?: string; existing?: Carpark['address']; error: unknown }) {
  return (
    <fieldset className="field">
      <legend>Address</legend>
      <TextField label="Street" name={`${prefix}address.line1`} autoComplete="address-line1" defaultValue={existing?.line1} required error={error} />
      <TextField label="Street, line 2 (optional)" name={`${prefix}address.line2`} autoComplete="address-line2" defaultValue={existing?.line2} error={error} />
      <TextField label="Town or city" name={`${prefix}address.city`} autoComplete="address-level2" defaultValue={existing?.city} required error={error} />
      <TextField label="Postcode" name={`${prefix}address.postcode`} autoComplete="postal-code" defaultValue={existing?.postcode} required error={error} />
      <TextField label="Country code" name={`${prefix}address.country`} hint="Two letters, e.g. GB" defaultValue={existing?.country ?? 'GB'} required error={error} />
    </fieldset>
  );
}

export function CurrencyField({ prefix = '', error }: { prefix?: string; error: unknown }) {
  return (
    <SelectField label="Currency" name={`${prefix}currency`} defaultValue="gbp" error={error}>
      <option value="gbp">Pounds (GBP)</option>
      <option value="eur">Euros (EUR)</option>
      <option value="usd">US dollars (USD)</option>
    </SelectField>
  );
}

export function SpacesAndPrices({ prefix = '', existing, error }: { prefix?: string; existing?: Pick<Carpark, 'prices' | 'capacity'>; error: unknown }) {
  return VEHICLE_TYPES.map((type) => (
    <fieldset className="field" key={type}>
      <legend>{vehicleTypeName(type)}</legend>
      <p className="hint">Leave both empty if the car park takes no {vehicleTypeName(type).toLowerCase()}s.</p>
      <TextField
        label={`${vehicleTypeName(type)} spaces`}
        name={`${prefix}capacity.${type}`}
        inputMode="numeric"
        defaultValue={existing?.capacity[type]?.toString() ?? ''}
        error={error}
      />
      <TextField
        label={`${vehicleTypeName(type)} price a month`}
        name={`${prefix}prices.${type}`}
        inputMode="decimal"
        hint="In pounds (or the car park’s currency), e.g. 120.00"
        defaultValue={pounds(existing?.prices[type])}
        error={error}
      />
    </fieldset>
  ));
}
