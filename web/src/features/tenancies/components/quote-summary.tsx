/**
 * What a change costs, from Stripe's preview, shown before the tenant confirms it: charged now,
 * credited, and the next renewal. While it is worked out, or if it cannot be, the tenant is told.
 */
import type { UseQueryResult } from '@tanstack/react-query';
import { longDate, money } from '../../../lib/format';
import type { Quote } from '../api';

export function QuoteSummary({ quote, card }: { quote: UseQueryResult<Quote>; card?: { brand: string; last4: string } }) {
  if (quote.isPending) return <p role="status">Working out the charge…</p>;
  if (quote.isError) {
    return (
      <p className="field-error" role="alert">
        The charge could not be worked out: {quote.error instanceof Error ? quote.error.message : 'try again shortly'}.
      </p>
    );
  }
  const q = quote.data;
  const to = card ? ` to your ${card.brand.toUpperCase()} card ending ${card.last4}` : '';
  return (
    <dl data-testid="quote">
      <dt>Charged now</dt>
      <dd data-testid="quote-now">
        {q.chargedNow > 0 ? `${money(q.chargedNow, q.currency)}${to}` : 'Nothing'}
      </dd>
      {q.credited > 0 && (
        <>
          <dt>Credited</dt>
          <dd data-testid="quote-credit">{money(q.credited, q.currency)} for the unused days, taken off your next renewal</dd>
        </>
      )}
      {q.endsOn && (
        <>
          <dt>Last day</dt>
          <dd data-testid="quote-ends">{longDate(q.endsOn)}: the barrier lets you in until then</dd>
        </>
      )}
      <dt>Next renewal</dt>
      <dd data-testid="quote-renewal">
        {q.nextRenewal ? `${money(q.nextRenewal.amount, q.currency)} on ${longDate(q.nextRenewal.on)}, for all your spaces` : 'None: nothing more is charged'}
      </dd>
    </dl>
  );
}
