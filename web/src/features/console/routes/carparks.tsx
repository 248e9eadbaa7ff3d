import { Link, useLocation } from 'react-router';
import { Page } from '../../../components/page';
import { Loading, Notice, QueryError } from '../../../components/status';
import { RequireConsole, useSession } from '../../../lib/auth';
import { money, vehicleTypeName } from '../../../lib/format';
import { useConsoleCarparks, VEHICLE_TYPES, type Carpark } from '../api';
import { ConsoleNav } from '../components/console-nav';
import { TableScroll } from '../components/table-scroll';

export default function ConsoleCarparksRoute() {
  return (
    <RequireConsole>
      <ConsoleCarparks />
    </RequireConsole>
  );
}

function ConsoleCarparks() {
  const session = useSession()!;
  const admin = session.user.role === 'admin';
  const carparks = useConsoleCarparks(session);
  const { saved, repriced } = (useLocation().state as { saved?: string; repriced?: boolean } | null) ?? {};
  return (
    <>
      <ConsoleNav />
      <Page title={admin ? 'Car parks' : 'My car parks'} lead={admin ? 'Every car park on the platform.' : undefined}>
        {saved && (
          <Notice tone="ok">
            {saved} is saved.
            {repriced && ' Its tenancies move to the new prices from their next renewal, and their tenants are being emailed.'}
          </Notice>
        )}
        <p>
          <Link className="button" to="/console/carparks/new">
            Add a car park
          </Link>
        </p>
        {carparks.isPending ? (
          <Loading label="Loading car parks…" />
        ) : carparks.isError ? (
          <QueryError error={carparks.error} retry={() => void carparks.refetch()} />
        ) : carparks.data.length === 0 ? (
          <p className="card">No car parks yet.</p>
        ) : (
          <ul className="card-list" data-testid="console-carparks">
            {carparks.data.map((carpark) => (
              <li key={carpark.carparkId}>
                <CarparkCard carpark={carpark} />
              </li>
            ))}
          </ul>
        )}
      </Page>
    </>
  );
}

function CarparkCard({ carpark }: { carpark: Carpark }) {
  const headingId = `carpark-${carpark.carparkId}`;
  const types = VEHICLE_TYPES.filter((type) => carpark.capacity[type] !== undefined || carpark.prices[type] !== undefined);
  const { line1, line2, city, postcode } = carpark.address;
  return (
    <article className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{carpark.name}</h2>
      <p>{[line1, line2, city, postcode].filter(Boolean).join(', ')}</p>
      <TableScroll label={`Spaces and prices at ${carpark.name}`}>
        <table>
          <caption className="visually-hidden">Spaces and prices at {carpark.name}</caption>
          <thead>
            <tr>
              <th scope="col">Vehicle</th>
              <th scope="col">Spaces</th>
              <th scope="col">Free</th>
              <th scope="col">Monthly price</th>
            </tr>
          </thead>
          <tbody>
            {types.map((type) => (
              <tr key={type}>
                <th scope="row">{vehicleTypeName(type)}</th>
                <td>{carpark.capacity[type] ?? 0}</td>
                <td>{carpark.spacesFree[type] ?? 0}</td>
                <td>{carpark.prices[type] !== undefined ? money(carpark.prices[type], carpark.currency) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <p className="actions">
        <Link to={`/console/carparks/${carpark.carparkId}/edit`} aria-label={`Edit ${carpark.name}`}>
          Edit
        </Link>
        <Link to={`/console/tenancies?carparkId=${carpark.carparkId}`} aria-label={`Tenancies at ${carpark.name}`}>
          Tenancies
        </Link>
        <Link to={`/console/carparks/${carpark.carparkId}/waitlist`} aria-label={`Waitlist at ${carpark.name}`}>
          Waitlist
        </Link>
      </p>
    </article>
  );
}
