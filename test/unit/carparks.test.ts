import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  VEHICLE_TYPES,
  assertPricesMatchCapacity,
  capacityShortfalls,
  spacesFree,
  type PerVehicleType,
} from '../../functions/domain/carparks';
import { ValidationError } from '../../functions/domain/errors';

const perType = (max: number) =>
  fc.record(Object.fromEntries(VEHICLE_TYPES.map((t) => [t, fc.nat({ max })])) as Record<string, fc.Arbitrary<number>>, {
    requiredKeys: [],
  }) as fc.Arbitrary<PerVehicleType>;

describe('free spaces', () => {
  it('is capacity minus occupied for each priced type', () => {
    expect(spacesFree({ prices: { car: 100, van: 200 }, capacity: { car: 10, van: 2 }, occupied: { car: 3 } })).toEqual({
      car: 7,
      van: 2,
    });
  });

  it('is never negative and never above capacity, whatever the counters say', () => {
    fc.assert(
      fc.property(perType(50), perType(80), (capacity, occupied) => {
        const free = spacesFree({ prices: capacity, capacity, occupied });
        for (const type of VEHICLE_TYPES) {
          if (capacity[type] === undefined) expect(free[type]).toBeUndefined();
          else {
            expect(free[type]).toBeGreaterThanOrEqual(0);
            expect(free[type]).toBeLessThanOrEqual(capacity[type]!);
          }
        }
      }),
    );
  });
});

describe('prices and capacity', () => {
  it('must cover the same vehicle types', () => {
    expect(() => assertPricesMatchCapacity({ car: 100 }, { car: 5 })).not.toThrow();
    try {
      assertPricesMatchCapacity({ car: 100, ev: 120 }, { car: 5, van: 1 });
      expect.unreachable('mismatched types were accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((i) => i.path).sort()).toEqual(['capacity.ev', 'prices.van']);
    }
  });

  it('must price at least one type', () => {
    expect(() => assertPricesMatchCapacity({}, {})).toThrow(ValidationError);
  });
});

describe('capacity shortfalls', () => {
  it('names each type whose new capacity is below the spaces let', () => {
    expect(capacityShortfalls({ car: 2, van: 5 }, { car: 3, van: 5 })).toEqual(['car']);
    expect(capacityShortfalls({ car: 3 }, { car: 3 })).toEqual([]);
  });
});
