/**
 * The tenancies of one car park, by status, a page at a time: the API's cursor is kept for each
 * page visited, so "Previous page" goes back without reading from the start.
 */
import { Link, useSearchParams } from 'react-router';
import { SelectField } from '../../../components/form';
import { Page } from '../../../components/page';
import { Loading, QueryError } from '../../../components/status';
import { RequireConsole, useSession } from '../../../lib/auth';
import { money, shortDate, tenancyStatusName, vehicleTypeName } from '../../../lib/format';
import { TENANCY_STATUSES, useCarparkTenancies, useConsoleCarparks, type TenancyStatus } from '../api';
import { ConsoleNav } from '../components/console-nav';
import { PageButtons, useCursorPages } from '../components/cursor-pages';
import { TableScroll } from '../components/table-scroll';

export default function ConsoleTenanciesRoute() {
  return (
    <RequireConsole>
      <ConsoleNav />
      <ConsoleTenancies />
    </RequireConsole>
  );
}

function ConsoleTenancies() {
  const session = useSession()!;
  const carparks = useConsoleCarparks(session);
  const [params, setParams] = useSearchParams();
  const carparkId = params.get('carparkId') ?? carparks.data?.[0]?.carparkId ?? '';
  const statusParam = params.get('status');
  const status = TENANCY_STATUSES.includes(statusParam as TenancyStatus) ? (statusParam as TenancyStatus) : undefined;

  return (
    <Page title="Tenancies">
      {carparks.isPending ? (
        <Loading label="Loading car parks…" />
      ) : carparks.isError ? (
        <QueryError error={carparks.error} retry={() => void carparks.refetch()} />
      ) : carparks.data.length === 0 ? (
        <p className="card">
          No car parks yet. <Link to="/console/carparks/new">Add a car park</Link>
        </p>
      ) : (
        <>
          <form
            className="card filters"
            aria-label="Which tenancies"
            onSubmit={(event) => {
              event.preventDefault();
              const form = new FormData(event.currentTarget);
              const next = new URLSearchParams();
              next.set('carparkId', String(form.get('carparkId') ?? ''));
              if (form.get('status')) next.set('status', String(form.get('status')));
              setParams(next);
            }}
          >
            <SelectField label="Car park" name="carparkId" defaultValue={carparkId} key={`c-${carparkId}`}>
              {carparks.data.map((carpark) => (
                <option key={carpark.carparkId} value={carpark.carparkId}>
                  {carpark.name}
                </option>
              ))}
            </SelectField>
            <SelectField label="Status" name="status" defaultValue={status ?? ''} key={`s-${status ?? ''}`}>
              <option value="">Any status</option>
              {TENANCY_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {tenancyStatusName(s)}
                </option>
              ))}
            </SelectField>
            <button type="submit">Show tenancies</button>
          </form>
          {/* A new filter starts again at the first page. */}
          <TenancyPages key={`${carparkId}|${status ?? ''}`} carparkId={carparkId} status={status} />
        </>
      )}
    </Page>
  );
}

function TenancyPages({ carparkId, status }: { carparkId: string; status: TenancyStatus | undefined }) {
  const pages = useCursorPages();
  const { cursor } = pages;
  const page = useCarparkTenancies({ carparkId, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) });
  if (page.isPending) return <Loading label="Loading tenancies…" />;
  if (page.isError) return <QueryError error={page.error} retry={() => void page.refetch()} />;
  const { items, nextCursor } = page.data;
  return (
    <section aria-labelledby="tenancies-heading">
      <h2 id="tenancies-heading">
        Page {pages.pageNumber}
        <span className="visually-hidden"> of tenancies</span>
      </h2>
      {items.length === 0 ? (
        <p className="card">{pages.pageNumber === 1 ? 'No tenancies here.' : 'No more tenancies.'}</p>
      ) : (
        <TableScroll className="card" label="Tenancies">
          <table data-testid="console-tenancies" aria-busy={page.isPlaceholderData || undefined}>
            <caption className="visually-hidden">Tenancies</caption>
            <thead>
              <tr>
                <th scope="col">Plate</th>
                <th scope="col">Status</th>
                <th scope="col">Vehicle</th>
                <th scope="col">Tenant</th>
                <th scope="col">Price</th>
                <th scope="col">Started</th>
              </tr>
            </thead>
            <tbody>
              {items.map((t) => (
                <tr key={t.tenancyId}>
                  <th scope="row">
                    <Link to={`/console/tenancies/${t.tenancyId}`} className="plate">
                      {t.plate}
                    </Link>
                  </th>
                  <td>
                    <span className={`status status-${t.status}`}>{tenancyStatusName(t.status)}</span>
                  </td>
                  <td>{vehicleTypeName(t.vehicleType)}</td>
                  <td>
                    <code>{t.userId}</code>
                  </td>
                  <td>{money(t.monthlyAmount, t.currency)} a month</td>
                  <td>{shortDate(t.startDate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <PageButtons pages={pages} nextCursor={nextCursor} loading={page.isPlaceholderData} />
    </section>
  );
}
