/**
 * An offer of a space from a waitlist, reached from its email: the price, what is charged now,
 * the deadline; accept in one step (with the card on file, or add one first), or decline.
 */
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { FormError } from '../../../components/form';
import { Page } from '../../../components/page';
import { Loading, QueryError } from '../../../components/status';
import { RequireSession } from '../../../lib/auth';
import { money, timeAndDay, vehicleTypeName } from '../../../lib/format';
import { useBilling } from '../../billing/api';
import { CardForm } from '../../billing/components/card-form';
import { useQuote } from '../../tenancies/api';
import { QuoteSummary } from '../../tenancies/components/quote-summary';
import { useAcceptOffer, useDeclineOffer, useOffer, type WaitlistOffer } from '../api';

export default function OfferRoute() {
  return (
    <RequireSession>
      <OfferPage />
    </RequireSession>
  );
}

function OfferPage() {
  const { offerId = '' } = useParams();
  const offer = useOffer(offerId);
  const billing = useBilling();
  if (offer.isPending || billing.isPending) return <Loading label="Loading the offer…" />;
  if (offer.isError) return <QueryError error={offer.error} />;
  if (billing.isError) return <QueryError error={billing.error} retry={() => void billing.refetch()} />;
  const o = offer.data;
  return (
    <Page title={`A space at ${o.carparkName}`}>
      {o.status === 'open' ? (
        billing.data.defaultCard ? (
          <OpenOffer offer={o} card={billing.data.defaultCard} />
        ) : (
          <section className="card" aria-labelledby="add-card-heading">
            <h2 id="add-card-heading">First, add a card</h2>
            <p>
              A {vehicleTypeName(o.vehicleType).toLowerCase()} space is held for you until {timeAndDay(o.expiresAt)}. Add the card your monthly
              payments are taken from, then accept it. Card details go straight to Stripe, our payment provider.
            </p>
            <CardForm submitLabel="Save card and continue" />
          </section>
        )
      ) : (
        <div className="card" data-testid="offer-closed">
          <p>
            {o.status === 'accepted'
              ? 'You accepted this offer.'
              : o.status === 'declined'
                ? 'You declined this offer: the space went to the next in line.'
                : 'This offer has lapsed: the space went to the next in line.'}
          </p>
          {o.tenancyId ? <Link to={`/my/tenancies/${o.tenancyId}`}>See your tenancy</Link> : <Link to="/my/waitlist">Your waitlists</Link>}
        </div>
      )}
    </Page>
  );
}

function OpenOffer({ offer, card }: { offer: WaitlistOffer; card: { brand: string; last4: string } }) {
  const navigate = useNavigate();
  const accept = useAcceptOffer(offer.offerId);
  const decline = useDeclineOffer(offer.offerId);
  const [declining, setDeclining] = useState(false);
  const quote = useQuote({ kind: 'rent', carparkId: offer.carparkId, vehicleType: offer.vehicleType });
  return (
    <section className="card" aria-labelledby="offer-heading">
      <h2 id="offer-heading">Held for you until {timeAndDay(offer.expiresAt)}</h2>
      <div className="summary">
        <dl>
          <dt>Space</dt>
          <dd>
            {vehicleTypeName(offer.vehicleType)} for <span className="plate">{offer.plate}</span>
          </dd>
          <dt>Monthly price</dt>
          <dd data-testid="offer-price">{money(offer.monthlyAmount, offer.currency)} a month</dd>
        </dl>
        <QuoteSummary quote={quote} card={card} />
      </div>
      <FormError error={accept.error ?? decline.error} />
      {declining ? (
        <div role="group" aria-labelledby="decline-question">
          <p id="decline-question">Decline this space? It goes to the next person in line at once, and you leave the waitlist.</p>
          <div className="actions">
            <button type="button" className="danger" disabled={decline.isPending} onClick={() => decline.mutate()}>
              {decline.isPending ? 'Declining…' : 'Yes, decline'}
            </button>
            <button type="button" className="secondary" onClick={() => setDeclining(false)}>
              No, keep it
            </button>
          </div>
        </div>
      ) : (
        <div className="actions">
          <button
            type="button"
            // A quote being read again (after 10 minutes, or on returning to the tab) is not sent stale.
            disabled={accept.isPending || !quote.data || quote.isFetching}
            aria-busy={accept.isPending || undefined}
            onClick={() =>
              quote.data &&
              accept.mutate({ quotedAt: quote.data.quotedAt }, {
                onSuccess: ({ tenancy, warnings }) => void navigate(`/my/tenancies/${tenancy.tenancyId}`, { state: { warnings, justRented: true } }),
              })
            }
          >
            {accept.isPending ? 'Accepting…' : quote.data ? `Accept and pay ${money(quote.data.chargedNow, offer.currency)}` : 'Accept'}
          </button>
          <button type="button" className="secondary" onClick={() => setDeclining(true)}>
            Decline
          </button>
        </div>
      )}
    </section>
  );
}
