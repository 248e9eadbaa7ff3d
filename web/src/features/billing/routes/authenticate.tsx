import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Page } from '../../../components/page';
import { Loading, Notice, QueryError } from '../../../components/status';
import { RequireSession } from '../../../lib/auth';
import { money } from '../../../lib/format';
import { getStripe } from '../../../lib/stripe';
import { billingKeys, invoicePaymentKey, useInvoicePayment } from '../api';

/**
 * Where a payment that needs the card holder's authentication (Strong Customer Authentication,
 * 3-D Secure) is completed: Stripe.js confirms the invoice's payment with its client secret and
 * opens the bank's check; the page then watches the invoice until Stripe reports it paid.
 */
export default function AuthenticateRoute() {
  return (
    <RequireSession>
      <AuthenticatePage />
    </RequireSession>
  );
}

type Attempt = { state: 'idle' } | { state: 'confirming' } | { state: 'confirmed' } | { state: 'failed'; message: string };

function AuthenticatePage() {
  const { invoiceId = '' } = useParams();
  const [attempt, setAttempt] = useState<Attempt>({ state: 'idle' });
  const payment = useInvoicePayment(invoiceId, { watch: attempt.state === 'confirmed' });
  const queryClient = useQueryClient();

  async function confirm(clientSecret: string, paymentMethod: string) {
    setAttempt({ state: 'confirming' });
    try {
      const stripe = await getStripe();
      // The card on file, named each time: after a failed check Stripe detaches it from the payment.
      const result = await stripe.confirmCardPayment(clientSecret, { payment_method: paymentMethod });
      if (result.error) {
        setAttempt({
          state: 'failed',
          message: `${result.error.message ?? 'Your bank did not confirm the payment.'} Nothing was charged. Try again, or use another card on your billing page.`,
        });
        return;
      }
      setAttempt({ state: 'confirmed' });
      // The invoice turns paid when Stripe's event arrives; the query above watches for it.
      void queryClient.invalidateQueries({ queryKey: invoicePaymentKey(invoiceId) });
      void queryClient.invalidateQueries({ queryKey: billingKeys.all });
      void queryClient.invalidateQueries({ queryKey: ['tenancies'] });
    } catch (error) {
      setAttempt({ state: 'failed', message: error instanceof Error ? error.message : 'The payment could not be confirmed. Try again.' });
    }
  }

  if (payment.isPending) return <Page title="Confirm your payment"><Loading label="Loading the payment…" /></Page>;
  if (payment.isError) {
    return (
      <Page title="Confirm your payment">
        <QueryError error={payment.error} retry={() => void payment.refetch()} />
        <p>
          <Link to="/my/billing">Back to billing</Link>
        </p>
      </Page>
    );
  }

  const invoice = payment.data;
  const card = invoice.card;
  const amount = money(invoice.amountRemaining, invoice.currency);
  const label = invoice.number ? `invoice ${invoice.number}` : 'this invoice';
  return (
    <Page title="Confirm your payment">
      {invoice.status === 'paid' ? (
        <Notice tone="ok">
          <p data-testid="payment-outcome">
            Thank you: {invoice.number ? `invoice ${invoice.number}` : 'the invoice'} of {money(invoice.amountDue, invoice.currency)} is paid.
            Any access held back for it is back now.
          </p>
          <p>
            <Link to="/my/tenancies">My tenancies</Link> · <Link to="/my/billing">Billing</Link>
          </p>
        </Notice>
      ) : invoice.status !== 'open' || !invoice.clientSecret ? (
        <Notice tone="warn">
          <p data-testid="payment-outcome">There is nothing to confirm for {label} now. Your billing page shows what is owed.</p>
          <p>
            <Link to="/my/billing">Go to billing</Link>
          </p>
        </Notice>
      ) : (
        <section className="card" aria-labelledby="confirm-heading">
          <h2 id="confirm-heading">
            {amount} for {label}
          </h2>
          {card ? (
            <p>
              Your bank asks you to confirm this payment (3-D Secure). Your bank's check opens in this window; once you confirm, your{' '}
              {card.brand.toUpperCase()} card ending {card.last4} is charged {amount}.
            </p>
          ) : (
            <p>There is no card on your account. Add one on your billing page: it pays this invoice straight away.</p>
          )}
          {attempt.state === 'failed' && (
            <div className="alert alert-error" role="alert">
              <p>{attempt.message}</p>
            </div>
          )}
          {attempt.state === 'confirmed' ? (
            <p role="status" data-testid="payment-settling">
              Confirmed. Waiting for the payment to be recorded…
            </p>
          ) : (
            card && (
              <button
                type="button"
                disabled={attempt.state === 'confirming'}
                onClick={() => void confirm(invoice.clientSecret!, card.paymentMethodId)}
              >
                {attempt.state === 'confirming' ? 'Confirming…' : `Confirm and pay ${amount}`}
              </button>
            )
          )}
          <p>
            <Link to="/my/billing">{card ? 'Use another card instead' : 'Add a card'}</Link>
          </p>
        </section>
      )}
    </Page>
  );
}
