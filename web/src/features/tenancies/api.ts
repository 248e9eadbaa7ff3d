import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../lib/api-client';
import type { Quote, QuoteRequest, Tenancy, TenancyWithWarnings, TimelineEvent } from '../../lib/api/types';
import type { VehicleType } from '../carparks/api';

export type { Tenancy, TimelineEvent };
export type PlateWarning = TenancyWithWarnings['warnings'][number];

export const tenancyKeys = {
  all: ['tenancies'] as const,
  one: (tenancyId: string) => ['tenancies', tenancyId] as const,
  timeline: (tenancyId: string) => ['tenancies', tenancyId, 'timeline'] as const,
};

/**
 * The next renewal the API recorded, while the tenancy is renewed: a cancelling tenancy (or one
 * suspended while cancelling) is not, it ends at `endsAt`; a pending, ended or failed one shows none.
 */
export function nextRenewal(tenancy: Tenancy): string | undefined {
  const renewed = tenancy.status === 'active' || (tenancy.status === 'suspended' && tenancy.suspendedFrom !== 'cancelling');
  return renewed ? tenancy.renewsAt : undefined;
}

/**
 * A tenancy the platform is still working on: worth asking again soon. Not a scheduled one: it
 * waits days for its start date, not seconds.
 */
export function isSettling(tenancy: Tenancy): boolean {
  if (tenancy.status === 'scheduled') return false;
  return (
    tenancy.status === 'pending' ||
    tenancy.pendingPlate !== undefined ||
    tenancy.barrier.status === 'pending' ||
    (tenancy.status === 'cancelling' && tenancy.endsAt === undefined)
  );
}

/** Whether an operator has tenancies of its own (rented as a tenant before it ran car parks): one small read, kept a while. */
export function useHasOwnTenancies(enabled: boolean) {
  const own = useQuery({
    queryKey: [...tenancyKeys.all, 'any'],
    queryFn: () => unwrap(api.GET('/tenancies', { params: { query: { limit: 1 } } })),
    enabled,
    staleTime: 5 * 60_000,
    retry: false,
  });
  return enabled && (own.data?.items.length ?? 0) > 0;
}

export function useTenancies() {
  return useQuery({
    queryKey: tenancyKeys.all,
    queryFn: () => unwrap(api.GET('/tenancies', { params: { query: { limit: 100 } } })),
    // Workflows change tenancies behind the page's back: ask again on every visit.
    staleTime: 0,
    refetchInterval: (query) => (query.state.data?.items.some(isSettling) ? 2_000 : false),
  });
}

export function useTenancy(tenancyId: string) {
  return useQuery({
    queryKey: tenancyKeys.one(tenancyId),
    queryFn: () => unwrap(api.GET('/tenancies/{tenancyId}', { params: { path: { tenancyId } } })),
    refetchInterval: (query) => (query.state.data && isSettling(query.state.data) ? 1_000 : false),
  });
}

export const TIMELINE_PAGE_SIZE = 50;

/**
 * A tenancy's events, oldest first, a page at a time ("show more" reads the next). Read again
 * whenever the tenancy itself changes (`version`: its updatedAt), so a step the platform just took
 * appears without a reload.
 */
export function useTenancyTimeline(tenancyId: string, version: string | undefined) {
  return useInfiniteQuery({
    queryKey: [...tenancyKeys.timeline(tenancyId), version],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/tenancies/{tenancyId}/timeline', {
          params: { path: { tenancyId }, query: { limit: TIMELINE_PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (page) => page.nextCursor,
    enabled: version !== undefined,
    // The events shown stay while a newer reading loads.
    placeholderData: keepPreviousData,
  });
}

function useTenancyMutation<Input, Result extends Tenancy | { tenancy: Tenancy }>(call: (input: Input) => Promise<Result>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: (result: Result) => {
      const tenancy: Tenancy = 'tenancy' in result ? result.tenancy : result;
      queryClient.setQueryData(tenancyKeys.one(tenancy.tenancyId), tenancy);
      void queryClient.invalidateQueries({ queryKey: tenancyKeys.all });
      void queryClient.invalidateQueries({ queryKey: ['carparks'] });
    },
  });
}

export type { Quote, QuoteRequest };

/** Quotes are honoured for 30 minutes: one older than this is asked for again before it is used. */
const QUOTE_FRESH_MS = 10 * 60 * 1000;

/**
 * What a change charges now, credits and renews at, from Stripe's preview (nothing while
 * `request` is undefined). Its `quotedAt` goes with the change, so the charge is what was shown.
 */
export function useQuote(request: QuoteRequest | undefined) {
  return useQuery({
    queryKey: ['quote', request],
    queryFn: () => unwrap(api.POST('/billing/quote', { body: request! })),
    enabled: request !== undefined,
    staleTime: QUOTE_FRESH_MS,
    refetchInterval: QUOTE_FRESH_MS,
    retry: false,
  });
}

export function useRent() {
  return useTenancyMutation((body: { carparkId: string; vehicleType: VehicleType; plate: string; startDate?: string; quotedAt?: string }) =>
    unwrap(api.POST('/tenancies', { body })),
  );
}

export function useUpdateTenancy(tenancyId: string) {
  return useTenancyMutation((body: { plate?: string; vehicleType?: VehicleType; quotedAt?: string }) =>
    unwrap(api.PATCH('/tenancies/{tenancyId}', { params: { path: { tenancyId } }, body })),
  );
}

/** The tenancy's plates, its first plate first; not a plate being added, nor removed ones. */
export const platesOf = (tenancy: Pick<Tenancy, 'plate' | 'extraPlates'>): string[] => [tenancy.plate, ...(tenancy.extraPlates ?? [])];

/** Adds a further vehicle's plate, up to the car park's plates per tenancy: the answer has it as `pendingPlate` while the barrier learns it. */
export function useAddPlate(tenancyId: string) {
  return useTenancyMutation((plate: string) =>
    unwrap(api.POST('/tenancies/{tenancyId}/plates', { params: { path: { tenancyId } }, body: { plate } })),
  );
}

/** Removes one of the tenancy's plates (not its last): it opens the barrier until the end of the period paid for. */
export function useRemovePlate(tenancyId: string) {
  return useTenancyMutation((plate: string) =>
    unwrap(api.DELETE('/tenancies/{tenancyId}/plates/{plate}', { params: { path: { tenancyId, plate } } })),
  );
}

export function useCancelTenancy(tenancyId: string) {
  return useTenancyMutation(() => unwrap(api.DELETE('/tenancies/{tenancyId}', { params: { path: { tenancyId } } })));
}

export function useUndoCancellation(tenancyId: string) {
  return useTenancyMutation(() =>
    unwrap(api.POST('/tenancies/{tenancyId}/undo-cancellation', { params: { path: { tenancyId } } })),
  );
}
