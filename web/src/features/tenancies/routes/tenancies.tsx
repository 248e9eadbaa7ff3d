import { Link } from 'react-router';
import { Page } from '../../../components/page';
import { Loading, QueryError } from '../../../components/status';
import { RequireSession } from '../../../lib/auth';
import { longDate, tenancyStatusName, vehicleTypeName } from '../../../lib/format';
import { useCarparks } from '../../carparks/api';
import { nextRenewal, useTenancies } from '../api';
import { TenancyPrice } from '../components/tenancy-price';

export default function TenanciesRoute() {
  return (
    <RequireSession>
      <TenanciesPage />
    </RequireSession>
  );
}

function TenanciesPage() {
  const tenancies = useTenancies();
  const carparks = useCarparks();
  const carparkName = (id: string) => carparks.data?.items.find((c) => c.carparkId === id)?.name ?? 'Car park';
  return (
    <Page title="My tenancies" lead={<Link to="/my/waitlist">My waitlists and offers</Link>}>
      {tenancies.isPending ? (
        <Loading label="Loading your tenancies…" />
      ) : tenancies.isError ? (
        <QueryError error={tenancies.error} retry={() => void tenancies.refetch()} />
      ) : tenancies.data.items.length === 0 ? (
        <div className="card">
          <p>You have no tenancies yet.</p>
          <Link className="button" to="/">
            Find a car park
          </Link>
        </div>
      ) : (
        <ul className="card-list" data-testid="tenancy-list">
          {tenancies.data.items.map((tenancy) => (
            <li key={tenancy.tenancyId}>
              <article className="card tenancy-card">
                <h2>
                  <Link to={`/my/tenancies/${tenancy.tenancyId}`}>
                    {carparkName(tenancy.carparkId)}: {tenancy.plate}
                  </Link>
                </h2>
                <p>
                  <span className={`status status-${tenancy.status}`}>{tenancyStatusName(tenancy.status)}</span>{' '}
                  {vehicleTypeName(tenancy.vehicleType)} · <TenancyPrice tenancy={tenancy} />
                </p>
                {tenancy.status === 'scheduled' ? (
                  <p data-testid="starts-on">Starts on {longDate(tenancy.startDate)}</p>
                ) : tenancy.renewsAt && nextRenewal(tenancy) ? (
                  <p data-testid="renews-at">Renews on {longDate(tenancy.renewsAt)}</p>
                ) : tenancy.endsAt ? (
                  <p data-testid="ends-at">
                    {tenancy.status === 'ended' ? 'Ended' : 'Ends'} on {longDate(tenancy.endsAt)}
                  </p>
                ) : null}
                {tenancy.arrears && (
                  <p className="field-error">
                    Unpaid invoice. <Link to={`/my/billing?pay=${tenancy.arrears.invoiceId ?? ''}`}>Pay now</Link>
                  </p>
                )}
              </article>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
