/**
 * The tenancies of one car park, by status and arrears, a page at a time: the API's cursor is kept
 * for each page visited, so "Previous page" goes back without reading from the start. A search
 * finds one by plate, or by the start of the tenant's email or name; the filtered set downloads
 * as CSV, read from the API a page at a time.
 */
import { useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { FormError, SelectField, TextField } from '../../../components/form';
import { Page } from '../../../components/page';
import { Loading, QueryError } from '../../../components/status';
import { RequireConsole, useSession } from '../../../lib/auth';
import { money, shortDate, tenancyStatusName, vehicleTypeName } from '../../../lib/format';
import { eachTenancyPage, TENANCY_STATUSES, useCarparkTenancies, useConsoleCarparks, useTenancySearch, type TenancyStatus } from '../api';
import { toCsv } from '../../../lib/csv';
import type { TenancyList } from '../../../lib/api/types';
import { ConsoleNav } from '../components/console-nav';
import { PagedTable, useCursorPages } from '../components/cursor-pages';
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
  const inArrears = params.get('inArrears') === 'true';
  const q = params.get('q') ?? '';
  const carparkName = carparks.data?.find((c) => c.carparkId === carparkId)?.name ?? 'car park';

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
              if (form.get('inArrears')) next.set('inArrears', 'true');
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
            <label className="choice">
              <input type="checkbox" name="inArrears" value="true" defaultChecked={inArrears} key={`a-${inArrears}`} /> Only tenancies in arrears
            </label>
            <button type="submit">Show tenancies</button>
          </form>
          <form
            className="card filters"
            aria-label="Find a tenancy"
            onSubmit={(event) => {
              event.preventDefault();
              const next = new URLSearchParams(params);
              next.set('carparkId', carparkId);
              const typed = String(new FormData(event.currentTarget).get('q') ?? '').trim();
              if (typed) next.set('q', typed);
              else next.delete('q');
              setParams(next);
            }}
          >
            <TextField label="Find by plate, or the start of the tenant’s email or name" name="q" defaultValue={q} key={`q-${q}`} />
            <button type="submit">Find</button>
          </form>
          {q && <SearchResults carparkId={carparkId} q={q} onClear={() => setParams(new URLSearchParams([...params].filter(([k]) => k !== 'q')))} />}
          <ExportTenancies carparkId={carparkId} carparkName={carparkName} status={status} inArrears={inArrears} />
          {/* A new filter starts again at the first page. */}
          <TenancyPages key={`${carparkId}|${status ?? ''}|${inArrears}`} carparkId={carparkId} status={status} inArrears={inArrears} />
        </>
      )}
    </Page>
  );
}

function TenancyPages({ carparkId, status, inArrears }: { carparkId: string; status: TenancyStatus | undefined; inArrears: boolean }) {
  const pages = useCursorPages();
  const { cursor } = pages;
  const page = useCarparkTenancies({ carparkId, ...(status ? { status } : {}), ...(inArrears ? { inArrears } : {}), ...(cursor ? { cursor } : {}) });
  if (page.isPending) return <Loading label="Loading tenancies…" />;
  if (page.isError) return <QueryError error={page.error} retry={() => void page.refetch()} />;
  const { items, nextCursor } = page.data;
  return (
    <PagedTable
      id="tenancies"
      heading={
        <>
          Page {pages.pageNumber}
          <span className="visually-hidden"> of tenancies</span>
        </>
      }
      label="Tenancies"
      testId="console-tenancies"
      columns={['Plates', 'Status', 'Vehicle', 'Tenant', 'Price', 'Started', 'Arrears']}
      empty={pages.pageNumber === 1 ? 'No tenancies here.' : 'No more tenancies.'}
      pages={pages}
      nextCursor={nextCursor}
      loading={page.isPlaceholderData}
    >
      {items.map((t) => (
        <tr key={t.tenancyId}>
          <PlateAndStatus tenancy={t} />
          <td>{vehicleTypeName(t.vehicleType)}</td>
          <td>{t.tenantName ?? <code>{t.userId}</code>}</td>
          <td>{money(t.monthlyAmount, t.currency)} a month</td>
          <td>{shortDate(t.startDate)}</td>
          <td>{t.arrears ? `Unpaid since ${shortDate(t.arrears.since)}` : ''}</td>
        </tr>
      ))}
    </PagedTable>
  );
}

/** What a search matched, in words. */
const MATCHED: Record<string, string> = { plate: 'plate', email: 'email', name: 'name' };

function SearchResults({ carparkId, q, onClear }: { carparkId: string; q: string; onClear: () => void }) {
  const search = useTenancySearch(carparkId, q);
  return (
    <section className="card" aria-labelledby="search-heading">
      <h2 id="search-heading">Found for “{q}”</h2>
      {search.isPending && <Loading label="Searching…" />}
      {search.isError && <FormError error={search.error} shownFields={[]} />}
      {search.data && search.data.items.length === 0 && <p>No tenancy here matches. Check the plate, or type the start of the tenant’s email or name.</p>}
      {search.data && search.data.items.length > 0 && (
        <TableScroll label="Tenancies found">
          <table data-testid="tenancy-search">
            <caption className="visually-hidden">Tenancies found</caption>
            <thead>
              <tr>
                <th scope="col">Plates</th>
                <th scope="col">Status</th>
                <th scope="col">Tenant</th>
                <th scope="col">Matched by</th>
              </tr>
            </thead>
            <tbody>
              {search.data.items.map(({ tenancy: t, tenant, matched }) => (
                <tr key={t.tenancyId}>
                  <PlateAndStatus tenancy={t} />
                  <td>
                    {tenant.name ?? <code>{tenant.userId}</code>}
                    {tenant.email ? ` (${tenant.email})` : ''}
                  </td>
                  <td>{matched.map((m) => MATCHED[m]).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {search.data?.truncated && <p className="hint">More matched than are shown: type more of it.</p>}
      <button type="button" className="secondary" onClick={onClear}>
        Clear the search
      </button>
    </section>
  );
}

/** The filtered set as CSV, read a page at a time with its progress shown. */
function ExportTenancies({ carparkId, carparkName, status, inArrears }: { carparkId: string; carparkName: string; status?: TenancyStatus; inArrears: boolean }) {
  const [state, setState] = useState<{ phase: 'idle' | 'reading' | 'done' | 'failed'; count: number }>({ phase: 'idle', count: 0 });
  const link = useRef<HTMLAnchorElement>(null);
  const run = async () => {
    setState({ phase: 'reading', count: 0 });
    const parts: string[] = [toCsv(CSV_HEADER, [])];
    let count = 0;
    try {
      await eachTenancyPage({ carparkId, ...(status ? { status } : {}), ...(inArrears ? { inArrears } : {}) }, (items) => {
        if (items.length > 0) parts.push(toCsv([], items.map(csvRow)));
        count += items.length;
        setState({ phase: 'reading', count });
      });
    } catch {
      setState({ phase: 'failed', count });
      return;
    }
    const url = URL.createObjectURL(new Blob(parts, { type: 'text/csv;charset=utf-8' }));
    const a = link.current!;
    a.href = url;
    a.download = `${carparkName.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-tenancies${status ? `-${status}` : ''}${inArrears ? '-in-arrears' : ''}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    setState({ phase: 'done', count });
  };
  return (
    <p className="export" aria-live="polite">
      <button type="button" className="secondary" disabled={state.phase === 'reading'} onClick={() => void run()}>
        {state.phase === 'reading' ? `Exporting… ${state.count} so far` : 'Download these tenancies as CSV'}
      </button>{' '}
      {state.phase === 'done' && <span data-testid="export-done">{state.count} tenancies exported.</span>}
      {state.phase === 'failed' && <span className="field-error">The export stopped after {state.count} tenancies. Try again.</span>}
      {/* The file's link, clicked once the export is complete. */}
      <a ref={link} hidden aria-hidden="true" tabIndex={-1} />
    </p>
  );
}

const CSV_HEADER = ['tenancyId', 'plate', 'otherPlates', 'status', 'vehicleType', 'userId', 'tenantName', 'monthlyPrice', 'currency', 'startDate', 'renewsAt', 'endsAt', 'barrier', 'arrears', 'arrearsSince'];

function csvRow(t: TenancyListItem): (string | number)[] {
  return [
    t.tenancyId,
    t.plate,
    // Space-separated: one cell however many.
    (t.extraPlates ?? []).join(' '),
    t.status,
    t.vehicleType,
    t.userId,
    t.tenantName ?? '',
    (t.monthlyAmount / 100).toFixed(2),
    t.currency,
    t.startDate,
    t.renewsAt ?? '',
    t.endsAt ?? '',
    t.barrier.status,
    t.arrears?.state ?? '',
    t.arrears?.since ?? '',
  ];
}

type TenancyListItem = TenancyList['items'][number];

/** A row's first cells: the plates (the first linking to the tenancy), and its status. */
function PlateAndStatus({ tenancy: t }: { tenancy: Pick<TenancyListItem, 'tenancyId' | 'plate' | 'extraPlates' | 'status'> }) {
  return (
    <>
      <th scope="row">
        <Link to={`/console/tenancies/${t.tenancyId}`} className="plate">
          {t.plate}
        </Link>
        {t.extraPlates?.map((plate) => (
          <span key={plate}>
            {' '}
            <span className="plate">{plate}</span>
          </span>
        ))}
      </th>
      <td>
        <span className={`status status-${t.status}`}>{tenancyStatusName(t.status)}</span>
      </td>
    </>
  );
}
