/** A car park's waitlist for its operator: who waits in order, the offers out and their outcomes, and the time to fill. */
import { Link, useParams } from 'react-router';
import { Page } from '../../../components/page';
import { Loading, QueryError } from '../../../components/status';
import { RequireConsole } from '../../../lib/auth';
import { timeAndDay, vehicleTypeName } from '../../../lib/format';
import { useCarparkWaitlist } from '../../waitlist/api';
import { useConsoleCarpark } from '../api';
import { ConsoleNav } from '../components/console-nav';
import { TableScroll } from '../components/table-scroll';

export default function ConsoleWaitlistRoute() {
  return (
    <RequireConsole>
      <ConsoleWaitlist />
    </RequireConsole>
  );
}

const OUTCOME: Record<string, string> = { open: 'Held, waiting for an answer', accepted: 'Accepted', declined: 'Declined', lapsed: 'Lapsed' };

function ConsoleWaitlist() {
  const { carparkId = '' } = useParams();
  const carpark = useConsoleCarpark(carparkId);
  const waitlist = useCarparkWaitlist(carparkId);
  if (carpark.isPending || waitlist.isPending) return <Loading label="Loading the waitlist…" />;
  if (carpark.isError) return <QueryError error={carpark.error} />;
  if (waitlist.isError) return <QueryError error={waitlist.error} retry={() => void waitlist.refetch()} />;
  const w = waitlist.data;
  return (
    <>
      <ConsoleNav />
      <Page title={`Waitlist at ${carpark.data.name}`} lead={`An offer holds its space for ${w.offerHours} hours; nobody needs to act on it.`}>
        <section className="card" aria-labelledby="fill-heading">
          <h2 id="fill-heading">Time to fill</h2>
          <p data-testid="time-to-fill">
            {w.timeToFillHours === null
              ? 'No offer has been accepted yet.'
              : `A freed space is taken ${w.timeToFillHours < 1 ? 'within the hour' : `in ${w.timeToFillHours} hours`} (median of the accepted offers below).`}
          </p>
        </section>
        <section className="card" aria-labelledby="waiting-heading">
          <h2 id="waiting-heading">Waiting ({w.waiting.length})</h2>
          {w.waiting.length === 0 ? (
            <p>Nobody is waiting.</p>
          ) : (
            <TableScroll label="People waiting">
              <table data-testid="waiting-table">
                <thead>
                  <tr>
                    <th scope="col">Vehicle type</th>
                    <th scope="col">Position</th>
                    <th scope="col">Plate</th>
                    <th scope="col">Joined</th>
                  </tr>
                </thead>
                <tbody>
                  {w.waiting.map((e) => (
                    <tr key={`${e.vehicleType}-${e.position}`}>
                      <td>{vehicleTypeName(e.vehicleType)}</td>
                      <td>{e.position}</td>
                      <td>{e.plate}</td>
                      <td>{timeAndDay(e.joinedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
        </section>
        <section className="card" aria-labelledby="offers-heading">
          <h2 id="offers-heading">Offers</h2>
          {w.offers.length === 0 ? (
            <p>No space has been offered yet.</p>
          ) : (
            <TableScroll label="Offers">
              <table data-testid="offers-table">
                <thead>
                  <tr>
                    <th scope="col">Offered</th>
                    <th scope="col">Vehicle type</th>
                    <th scope="col">Plate</th>
                    <th scope="col">Held until</th>
                    <th scope="col">Outcome</th>
                  </tr>
                </thead>
                <tbody>
                  {w.offers.map((o) => (
                    <tr key={o.offerId}>
                      <td>{timeAndDay(o.offeredAt)}</td>
                      <td>{vehicleTypeName(o.vehicleType)}</td>
                      <td>{o.plate}</td>
                      <td>{timeAndDay(o.expiresAt)}</td>
                      <td>
                        {OUTCOME[o.status]}
                        {o.tenancyId && (
                          <>
                            {' '}
                            (<Link to={`/console/tenancies/${o.tenancyId}`}>tenancy</Link>)
                          </>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
        </section>
        <p>
          <Link to="/console/carparks">All car parks</Link>
        </p>
      </Page>
    </>
  );
}
