/**
 * Plate look-up: a plate as read off a car or a camera, look-alikes (O/0, I/1, S/5, B/8)
 * tolerated, and the tenancies it has in the caller's car parks (every car park for an admin):
 * who the tenant is, the tenancy's status and whether the plate opens the barrier now.
 */
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { FormError, SubmitButton, TextField } from '../../../components/form';
import { Page } from '../../../components/page';
import { Loading } from '../../../components/status';
import { api, unwrap } from '../../../lib/api-client';
import { RequireConsole, useSession } from '../../../lib/auth';
import { tenancyStatusName, vehicleTypeName } from '../../../lib/format';
import { useConsoleCarparks } from '../api';
import { ConsoleNav } from '../components/console-nav';
import { TableScroll } from '../components/table-scroll';

export default function PlateLookupRoute() {
  return (
    <RequireConsole>
      <ConsoleNav />
      <PlateLookup />
    </RequireConsole>
  );
}

function usePlateLookup(plate: string) {
  return useQuery({
    queryKey: ['console', 'plate', plate],
    queryFn: () => unwrap(api.GET('/plates/{plate}', { params: { path: { plate } } })),
    enabled: plate !== '',
    retry: false,
  });
}

function PlateLookup() {
  const session = useSession()!;
  const [params, setParams] = useSearchParams();
  const plate = params.get('plate') ?? '';
  const lookup = usePlateLookup(plate);
  const carparks = useConsoleCarparks(session);
  const carparkName = (id: string) => carparks.data?.find((c) => c.carparkId === id)?.name ?? id;

  return (
    <Page title="Plate look-up" lead="Look-alike characters count as the same: O and 0, I and 1, S and 5, B and 8.">
      <form
        className="card form"
        role="search"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const typed = String(new FormData(event.currentTarget).get('plate') ?? '').trim();
          setParams(typed ? { plate: typed } : {});
        }}
      >
        <FormError error={lookup.error} shownFields={['plate']} />
        <TextField label="Plate" name="plate" className="plate-input" defaultValue={plate} key={plate} autoComplete="off" required error={lookup.error} />
        <SubmitButton pending={lookup.isFetching}>Look up</SubmitButton>
      </form>
      {plate !== '' && lookup.isPending && <Loading label="Looking up the plate…" />}
      {lookup.data && (
        <section aria-labelledby="results-heading" data-testid="plate-results">
          <h2 id="results-heading">
            {lookup.data.items.length === 0
              ? `No tenancies on ${lookup.data.plate} or its look-alikes`
              : `${lookup.data.items.length} ${lookup.data.items.length === 1 ? 'tenancy' : 'tenancies'} on ${lookup.data.plate} or its look-alikes`}
          </h2>
          {lookup.data.truncated && <p className="muted">Only the first {lookup.data.items.length} are shown.</p>}
          {lookup.data.items.length > 0 && (
            <TableScroll className="card" label="Tenancies on the plate">
              <table>
                <caption className="visually-hidden">Tenancies on the plate</caption>
                <thead>
                  <tr>
                    <th scope="col">Plate</th>
                    <th scope="col">At the barrier now</th>
                    <th scope="col">Status</th>
                    <th scope="col">Tenant</th>
                    <th scope="col">Car park</th>
                    <th scope="col">Vehicle</th>
                  </tr>
                </thead>
                <tbody>
                  {lookup.data.items.map(({ tenancy, tenant, liveAtBarrier, exact }) => (
                    <tr key={tenancy.tenancyId}>
                      <th scope="row">
                        <Link to={`/console/tenancies/${tenancy.tenancyId}`} className="plate">
                          {tenancy.plate}
                        </Link>
                        {!exact && <span className="muted"> (look-alike)</span>}
                      </th>
                      <td>{liveAtBarrier ? <strong>Live</strong> : 'Not live'}</td>
                      <td>
                        <span className={`status status-${tenancy.status}`}>{tenancyStatusName(tenancy.status)}</span>
                      </td>
                      <td>
                        {tenant.name ?? <code>{tenant.userId}</code>}
                        {tenant.email && <span className="muted"> ({tenant.email})</span>}
                      </td>
                      <td>{carparkName(tenancy.carparkId)}</td>
                      <td>{vehicleTypeName(tenancy.vehicleType)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
        </section>
      )}
    </Page>
  );
}
