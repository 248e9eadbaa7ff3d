/** A tenant's application to become an operator: reading their newest one, and sending one. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../lib/api-client';
import type { operations } from '../../lib/api/schema';

export type ApplyBody = operations['ApplyToOperate']['requestBody']['content']['application/json'];

const mineKey = ['operator-application', 'mine'] as const;

export function useMyApplication() {
  return useQuery({ queryKey: mineKey, queryFn: () => unwrap(api.GET('/operator-applications/mine')), staleTime: 0 });
}

export function useApply() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ApplyBody) => unwrap(api.POST('/operator-applications', { body })),
    onSuccess: (application) => queryClient.setQueryData(mineKey, { application }),
  });
}
