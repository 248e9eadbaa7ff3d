/** The tenant's waitlists (with their place in line) and the offers made to them. */
import { Link, useLocation } from 'react-router';
import { Page } from '../../../components/page';
import { FormError } from '../../../components/form';
import { Loading, Notice, QueryError } from '../../../components/status';
import { RequireSession } from '../../../lib/auth';
import { longDate, timeAndDay, vehicleTypeName } from '../../../lib/format';
import { useLeaveWaitlist, useMyWaitlist } from '../api';

export default function WaitlistRoute() {
  return (
    <RequireSession>
      <WaitlistPage />
    </RequireSession>
  );
}

const OUTCOME: Record<string, string> = { open: 'Held for you', accepted: 'Accepted', declined: 'Declined', lapsed: 'Lapsed' };

function WaitlistPage() {
  const mine = useMyWaitlist();
  const leave = useLeaveWaitlist();
  const joined = (useLocation().state as { joined?: { carparkName: string; position: number } } | null)?.joined;
  if (mine.isPending) return <Loading label="Loading your waitlists…" />;
  if (mine.isError) return <QueryError error={mine.error} retry={() => void mine.refetch()} />;
  const open = mine.data.offers.filter((o) => o.status === 'open');
  return (
    <Page title="My waitlists">
      {joined && (
        <Notice tone="ok">
          You joined the waitlist at {joined.carparkName}: you are number {joined.position} in line. We email you when a space is held for you.
        </Notice>
      )}
      {leave.isSuccess && <Notice tone="ok">You left the waitlist.</Notice>}
      <FormError error={leave.error} />
      {open.length > 0 && (
        <section className="card" aria-labelledby="offers-heading">
          <h2 id="offers-heading">A space is held for you</h2>
          <ul data-testid="open-offers">
            {open.map((o) => (
              <li key={o.offerId}>
                <Link to={`/my/offers/${o.offerId}`}>
                  {o.carparkName}: {vehicleTypeName(o.vehicleType)} space for {o.plate}
                </Link>{' '}
                — held until {timeAndDay(o.expiresAt)}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="card" aria-labelledby="lines-heading">
        <h2 id="lines-heading">Waiting for a space</h2>
        {mine.data.entries.length === 0 ? (
          <p>
            You are not waiting for a space. When a car park is full, its page lets you join its waitlist. <Link to="/">Find a car park</Link>
          </p>
        ) : (
          <ul className="card-list" data-testid="waitlist-entries">
            {mine.data.entries.map((e) => (
              <li key={`${e.carparkId}-${e.vehicleType}`}>
                <p>
                  <strong>{e.carparkName}</strong>: {vehicleTypeName(e.vehicleType)} for {e.plate} — number <strong data-testid="position">{e.position}</strong> in line
                  (joined {longDate(e.joinedAt)})
                </p>
                <button
                  type="button"
                  className="secondary"
                  disabled={leave.isPending}
                  onClick={() => leave.mutate({ carparkId: e.carparkId, vehicleType: e.vehicleType })}
                  aria-label={`Leave the waitlist at ${e.carparkName}`}
                >
                  Leave the waitlist
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      {mine.data.offers.some((o) => o.status !== 'open') && (
        <section className="card" aria-labelledby="past-heading">
          <h2 id="past-heading">Earlier offers</h2>
          <ul>
            {mine.data.offers
              .filter((o) => o.status !== 'open')
              .map((o) => (
                <li key={o.offerId}>
                  {o.carparkName}, {vehicleTypeName(o.vehicleType)}: {OUTCOME[o.status]} ({longDate(o.offeredAt)})
                </li>
              ))}
          </ul>
        </section>
      )}
    </Page>
  );
}
