/**
 * The console's calls: car parks an operator runs (all of them for an admin), creating and
 * changing them, the tenancies at them, and (admins) the accounts and their Xero contacts.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../lib/api-client';
import type { operations } from '../../lib/api/schema';
import type { Carpark, ManagedCarpark, TenancyList } from '../../lib/api/types';
import type { Session } from '../../lib/session';

export type { Carpark, ManagedCarpark };
export { VEHICLE_TYPES, type VehicleType } from '../../components/carpark-fields';
export const TENANCY_STATUSES: readonly TenancyStatus[] = ['scheduled', 'pending', 'active', 'cancelling', 'suspended', 'ended', 'failed'];
type ListTenanciesQuery = NonNullable<operations['ListTenancies']['parameters']['query']>;
export type TenancyStatus = NonNullable<ListTenanciesQuery['status']>;
export type CreateCarparkBody = operations['CreateCarpark']['requestBody']['content']['application/json'];
export type UpdateCarparkBody = operations['UpdateCarpark']['requestBody']['content']['application/json'];

export const consoleKeys = {
  carparks: (scope: string) => ['console', 'carparks', scope] as const,
  carpark: (carparkId: string) => ['console', 'carpark', carparkId] as const,
  tenancies: (query: object) => ['console', 'tenancies', query] as const,
  tenancy: (tenancyId: string) => ['console', 'tenancy', tenancyId] as const,
};

/** Every page of a listing, up to 1,000 items (a choice in a form, not a table). */
async function everyPage<T>(page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string }>): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | undefined;
  do {
    const next = await page(cursor);
    all.push(...next.items);
    cursor = next.nextCursor;
  } while (cursor && all.length < 1_000);
  return all;
}

/** Car parks the caller runs: an operator's own (one read of the operator), every car park for an admin. */
export function useConsoleCarparks(session: Session) {
  const operatorId = session.user.role === 'operator' ? session.user.operatorId : undefined;
  return useQuery({
    queryKey: consoleKeys.carparks(operatorId ?? 'all'),
    queryFn: async (): Promise<Carpark[]> => {
      if (operatorId) {
        const operator = await unwrap(api.GET('/operators/{operatorId}', { params: { path: { operatorId } } }));
        return operator.carparks;
      }
      // An admin: every page of the public listing.
      return everyPage((cursor) => unwrap(api.GET('/carparks', { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } } })));
    },
    staleTime: 0,
  });
}

export function useConsoleCarpark(carparkId: string) {
  return useQuery({
    queryKey: consoleKeys.carpark(carparkId),
    queryFn: () => unwrap(api.GET('/carparks/{carparkId}', { params: { path: { carparkId } } })),
    staleTime: 0,
  });
}

const createCarpark = (body: CreateCarparkBody) => unwrap(api.POST('/carparks', { body }));
const updateCarpark = (carparkId: string, body: UpdateCarparkBody) =>
  unwrap(api.PATCH('/carparks/{carparkId}', { params: { path: { carparkId } }, body }));
const listTenancies = (query: ListTenanciesQuery) => unwrap(api.GET('/tenancies', { params: { query } }));

export function useCreateCarpark() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateCarparkBody) => createCarpark(body),
    // Dropped, not just marked stale: the list shown next must not show the car park as it was.
    onSuccess: () => queryClient.removeQueries({ queryKey: ['console', 'carparks'] }),
  });
}

export function useUpdateCarpark(carparkId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateCarparkBody) => updateCarpark(carparkId, body),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: ['console', 'carparks'] });
      queryClient.removeQueries({ queryKey: consoleKeys.carpark(carparkId) });
      void queryClient.invalidateQueries({ queryKey: ['carparks'] });
    },
  });
}

export interface TenancyPageQuery {
  readonly carparkId: string;
  readonly status?: TenancyStatus;
  readonly inArrears?: boolean;
  readonly cursor?: string;
}

export const TENANCY_PAGE_SIZE = 25;

/** The API's query for a page of a car park's filtered tenancies. */
const listQuery = (query: TenancyPageQuery, limit: number): ListTenanciesQuery => ({
  carparkId: query.carparkId,
  limit,
  ...(query.status ? { status: query.status } : {}),
  ...(query.inArrears ? { inArrears: 'true' as const } : {}),
  ...(query.cursor ? { cursor: query.cursor } : {}),
});

/** One page of a car park's tenancies, newest last; the previous page stays shown while the next loads. */
export function useCarparkTenancies(query: TenancyPageQuery) {
  return useQuery({
    queryKey: consoleKeys.tenancies(query),
    queryFn: () => listTenancies(listQuery(query, TENANCY_PAGE_SIZE)),
    enabled: query.carparkId !== '',
    placeholderData: keepPreviousData,
  });
}

/** The largest page the API gives: an export reads the filtered set in as few calls as it can. */
const EXPORT_PAGE_SIZE = 100;

/**
 * Every tenancy of a filtered list, a page at a time: each page is handed to `onPage` as it
 * arrives (and then dropped), so an export never asks the API for the whole car park at once.
 */
export async function eachTenancyPage(query: Omit<TenancyPageQuery, 'cursor'>, onPage: (items: TenancyList['items']) => void) {
  let cursor: string | undefined;
  do {
    const page = await listTenancies(listQuery({ ...query, ...(cursor ? { cursor } : {}) }, EXPORT_PAGE_SIZE));
    onPage(page.items);
    cursor = page.nextCursor;
  } while (cursor);
}

/** A car park's tenancies by plate, or by the start of the tenant's email or name. */
export function useTenancySearch(carparkId: string, q: string) {
  return useQuery({
    queryKey: ['console', 'tenancy-search', carparkId, q],
    queryFn: () => unwrap(api.GET('/tenancies/search', { params: { query: { carparkId, q } } })),
    enabled: carparkId !== '' && q.trim() !== '',
    // A refused search (422) is shown with its message, not asked again.
    retry: false,
  });
}

export function useConsoleTenancy(tenancyId: string) {
  return useQuery({
    queryKey: consoleKeys.tenancy(tenancyId),
    queryFn: () => unwrap(api.GET('/tenancies/{tenancyId}', { params: { path: { tenancyId } } })),
  });
}

/** Puts the tenancy's plate back on its barrier now (off it, when suspended); the tenancy is re-read after. */
export function usePushToBarrier(tenancyId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/tenancies/{tenancyId}/barrier', { params: { path: { tenancyId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: consoleKeys.tenancy(tenancyId) }),
  });
}

export const USER_PAGE_SIZE = 25;

/** One page of accounts (admins), all or by the start of an email or a name; the previous page stays shown while the next loads. */
export function useUserPage({ by, q, cursor }: { by: 'email' | 'name'; q: string; cursor?: string }) {
  return useQuery({
    queryKey: ['console', 'users', by, q, cursor],
    queryFn: () =>
      unwrap(api.GET('/users', { params: { query: { limit: USER_PAGE_SIZE, ...(q ? { [by]: q } : {}), ...(cursor ? { cursor } : {}) } } })),
    placeholderData: keepPreviousData,
    // A refused search (422) is shown with its messages, not asked again.
    retry: false,
  });
}

export const OPERATOR_PAGE_SIZE = 25;

/** Operators (admins), all or by the start of the name, a page at a time. */
export function useOperatorPage({ q, cursor }: { q: string; cursor?: string }) {
  return useQuery({
    queryKey: ['console', 'operators', q, cursor],
    queryFn: () => unwrap(api.GET('/operators', { params: { query: { limit: OPERATOR_PAGE_SIZE, ...(q ? { name: q } : {}), ...(cursor ? { cursor } : {}) } } })),
    placeholderData: keepPreviousData,
    retry: false,
  });
}

type OperatorSummary = operations['ListOperators']['responses'][200]['content']['application/json']['items'][number];

/** Every operator by name, for an admin's choice of one (every page, up to 1,000). */
export function useAllOperators({ enabled }: { enabled: boolean }) {
  return useQuery({
    queryKey: ['console', 'operators', 'all'],
    queryFn: (): Promise<OperatorSummary[]> =>
      everyPage((cursor) => unwrap(api.GET('/operators', { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } } }))),
    enabled,
  });
}

/** Totals across every operator, per currency, and each operator's standing (admins). */
export function usePlatformDashboard() {
  return useQuery({ queryKey: ['console', 'platform'], queryFn: () => unwrap(api.GET('/platform/dashboard')) });
}

/** An account (admins may read any; `enabled: false` for callers who may not). */
export function useConsoleUser(userId: string | undefined, { enabled = true } = {}) {
  return useQuery({
    queryKey: ['console', 'user', userId],
    queryFn: () => unwrap(api.GET('/users/{userId}', { params: { path: { userId: userId! } } })),
    enabled: enabled && userId !== undefined,
  });
}

/** One page of active Xero contacts (admins), all or by part of the name, email or number. */
export function useXeroContactPage({ search, cursor }: { search: string; cursor?: string }) {
  return useQuery({
    queryKey: ['console', 'xero-contacts', search, cursor],
    queryFn: () => unwrap(api.GET('/xero/contacts', { params: { query: { ...(search ? { search } : {}), ...(cursor ? { cursor } : {}) } } })),
    placeholderData: keepPreviousData,
    // Xero unavailable (503) is said once, with a button to try again.
    retry: false,
  });
}

/** Links a corporate user to the Xero contact their company is invoiced as. */
export function useLinkXeroContact(userId: string) {
  return useMutation({
    mutationFn: (contactId: string) => unwrap(api.PUT('/users/{userId}/xero-contact', { params: { path: { userId } }, body: { contactId } })),
  });
}

/** The last barrier reconciliation at one car park: when, and what it repaired there. */
export function useBarrierCheck(carparkId: string) {
  return useQuery({
    queryKey: ['console', 'barrier-check', carparkId],
    queryFn: () => unwrap(api.GET('/carparks/{carparkId}/barrier-check', { params: { path: { carparkId } } })),
    enabled: carparkId !== '',
  });
}

/** An operator's dashboard (its operators, admins), of all its car parks or one. */
export function useDashboard(operatorId: string | undefined, carparkId: string | undefined) {
  return useQuery({
    queryKey: ['console', 'dashboard', operatorId, carparkId ?? 'all'],
    queryFn: () =>
      unwrap(
        api.GET('/operators/{operatorId}/dashboard', {
          params: { path: { operatorId: operatorId! }, query: carparkId ? { carparkId } : {} },
        }),
      ),
    enabled: operatorId !== undefined,
    placeholderData: keepPreviousData,
  });
}

export const APPLICATION_PAGE_SIZE = 25;
export type OperatorApplication = operations['ListOperatorApplications']['responses'][200]['content']['application/json']['items'][number];

/** Pending operator applications (admins), oldest first, a page at a time. */
export function useApplicationPage(cursor: string | undefined) {
  return useQuery({
    queryKey: ['console', 'applications', cursor],
    queryFn: () => unwrap(api.GET('/operator-applications', { params: { query: { status: 'pending', limit: APPLICATION_PAGE_SIZE, ...(cursor ? { cursor } : {}) } } })),
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
}

/** Approves or rejects an application; the queue and the car parks are read again after. */
export function useDecideApplication() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ applicationId, reject }: { applicationId: string; reject?: { reason: string } }) =>
      reject
        ? unwrap(api.POST('/operator-applications/{applicationId}/reject', { params: { path: { applicationId } }, body: reject }))
        : unwrap(api.POST('/operator-applications/{applicationId}/approve', { params: { path: { applicationId } } })),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ['console', 'applications'] });
      queryClient.removeQueries({ queryKey: ['console', 'carparks'] });
    },
  });
}
