import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../lib/api-client';
import type { Carpark } from '../../lib/api/types';

export type { Carpark };
export type VehicleType = Extract<keyof Carpark['prices'], string>;

export const carparkKeys = {
  all: ['carparks'] as const,
  one: (carparkId: string) => ['carparks', carparkId] as const,
};

export function useCarparks() {
  return useQuery({
    queryKey: carparkKeys.all,
    queryFn: () => unwrap(api.GET('/carparks', { params: { query: { limit: 100 } } })),
  });
}

export function useCarpark(carparkId: string) {
  return useQuery({
    queryKey: carparkKeys.one(carparkId),
    queryFn: () => unwrap(api.GET('/carparks/{carparkId}', { params: { path: { carparkId } } })),
  });
}

/** The vehicle types the car park prices, in the API's order. */
export function pricedTypes(carpark: Carpark): { type: VehicleType; price: number; free: number }[] {
  return (Object.entries(carpark.prices) as [VehicleType, number | undefined][])
    .filter((entry): entry is [VehicleType, number] => entry[1] !== undefined)
    .map(([type, price]) => ({ type, price, free: carpark.spacesFree[type] ?? 0 }));
}
