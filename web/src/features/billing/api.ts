import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../lib/api-client';
import type { Billing } from '../../lib/api/types';

export type { Billing };
export type Invoice = Billing['recentInvoices'][number];

export const billingKeys = { all: ['billing'] as const };

export function useBilling() {
  return useQuery({
    queryKey: billingKeys.all,
    queryFn: () => unwrap(api.GET('/billing')),
    // While something is owed, payments settle in the background (a new card re-attempts it): watch.
    refetchInterval: (query) => (query.state.data && unpaidInvoices(query.state.data).length > 0 ? 3_000 : false),
  });
}

export function createSetupIntent() {
  return unwrap(api.POST('/billing/setup-intent'));
}

export function useSetDefaultCard() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (defaultPaymentMethod: string) => unwrap(api.PATCH('/billing', { body: { defaultPaymentMethod } })),
    onSuccess: (billing) => {
      queryClient.setQueryData(billingKeys.all, billing);
      // A new card can settle unpaid invoices and reinstate tenancies.
      void queryClient.invalidateQueries({ queryKey: ['tenancies'] });
    },
  });
}

export function usePayInvoice() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (invoiceId: string) => unwrap(api.POST('/billing/invoices/{invoiceId}/pay', { params: { path: { invoiceId } } })),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: billingKeys.all });
      void queryClient.invalidateQueries({ queryKey: ['tenancies'] });
    },
  });
}

/** Invoices still to be paid, oldest first (the API's `open` status). */
export function unpaidInvoices(billing: Billing): Invoice[] {
  return billing.recentInvoices
    .filter((invoice) => invoice.status === 'open' && invoice.amountDue > invoice.amountPaid)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export const invoicePaymentKey = (invoiceId: string) => ['billing', 'invoice-payment', invoiceId] as const;

/** What Stripe.js needs to authenticate an invoice's payment; watched while the payment settles. */
export function useInvoicePayment(invoiceId: string, { watch }: { watch: boolean }) {
  return useQuery({
    queryKey: invoicePaymentKey(invoiceId),
    queryFn: () => unwrap(api.GET('/billing/invoices/{invoiceId}/payment', { params: { path: { invoiceId } } })),
    refetchInterval: (query) => (watch && query.state.data?.status === 'open' ? 1_000 : false),
  });
}
