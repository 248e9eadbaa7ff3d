import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../lib/api-client';
import type { CarparkWaitlist, MyWaitlist, WaitlistOffer } from '../../lib/api/types';
import type { VehicleType } from '../carparks/api';
import { tenancyKeys } from '../tenancies/api';

export type { CarparkWaitlist, MyWaitlist, WaitlistOffer };

export const waitlistKeys = {
  mine: ['waitlist'] as const,
  offer: (offerId: string) => ['offers', offerId] as const,
  carpark: (carparkId: string) => ['console', 'waitlist', carparkId] as const,
};

export function useMyWaitlist() {
  return useQuery({ queryKey: waitlistKeys.mine, queryFn: () => unwrap(api.GET('/waitlist')), staleTime: 0 });
}

export function useJoinWaitlist(carparkId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { vehicleType: VehicleType; plate: string }) =>
      unwrap(api.POST('/carparks/{carparkId}/waitlist', { params: { path: { carparkId } }, body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: waitlistKeys.mine }),
  });
}

export function useLeaveWaitlist() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ carparkId, vehicleType }: { carparkId: string; vehicleType: VehicleType }) =>
      unwrap(api.DELETE('/carparks/{carparkId}/waitlist/{vehicleType}', { params: { path: { carparkId, vehicleType } } })),
    // Also on failure: a place gone meanwhile has usually become an offer, which the page then shows.
    onSettled: () => void queryClient.invalidateQueries({ queryKey: waitlistKeys.mine }),
  });
}

export function useOffer(offerId: string) {
  return useQuery({ queryKey: waitlistKeys.offer(offerId), queryFn: () => unwrap(api.GET('/offers/{offerId}', { params: { path: { offerId } } })) });
}

export function useAcceptOffer(offerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { quotedAt: string }) => unwrap(api.POST('/offers/{offerId}/accept', { params: { path: { offerId } }, body })),
    onSuccess: ({ tenancy }) => {
      queryClient.setQueryData(tenancyKeys.one(tenancy.tenancyId), tenancy);
      void queryClient.invalidateQueries({ queryKey: tenancyKeys.all });
      void queryClient.invalidateQueries({ queryKey: waitlistKeys.mine });
      void queryClient.invalidateQueries({ queryKey: waitlistKeys.offer(offerId) });
    },
  });
}

export function useDeclineOffer(offerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/offers/{offerId}/decline', { params: { path: { offerId } } })),
    onSuccess: (offer) => {
      queryClient.setQueryData(waitlistKeys.offer(offerId), offer);
      void queryClient.invalidateQueries({ queryKey: waitlistKeys.mine });
    },
  });
}

export function useCarparkWaitlist(carparkId: string) {
  return useQuery({
    queryKey: waitlistKeys.carpark(carparkId),
    queryFn: () => unwrap(api.GET('/carparks/{carparkId}/waitlist', { params: { path: { carparkId } } })),
  });
}
