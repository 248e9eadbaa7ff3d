/** The admin's platform totals: every operator's figures summed per currency, and each operator's standing. */
import { Link } from 'react-router';
import { Page } from '../../../components/page';
import { Loading, QueryError } from '../../../components/status';
import { RequireConsole } from '../../../lib/auth';
import { toCsv } from '../../../lib/csv';
import { money } from '../../../lib/format';
import type { PlatformDashboard } from '../../../lib/api/types';
import { usePlatformDashboard } from '../api';
import { ConsoleNav } from '../components/console-nav';
import { DashboardFigures } from '../components/dashboard-figures';
import { TableScroll } from '../components/table-scroll';

export default function ConsolePlatformRoute() {
  return (
    <RequireConsole adminOnly>
      <ConsoleNav />
      <ConsolePlatform />
    </RequireConsole>
  );
}

const CURRENCY_NAMES: Record<string, string> = { gbp: 'Pounds sterling', eur: 'Euros', usd: 'US dollars' };
const currencyName = (c: string) => `${CURRENCY_NAMES[c] ?? c.toUpperCase()} (${c.toUpperCase()})`;

function ConsolePlatform() {
  const platform = usePlatformDashboard();
  return (
    <Page title="Platform" lead="Every operator’s car parks together: occupancy, revenue, arrears and churn, kept apart per currency.">
      {platform.isPending && <Loading label="Adding up every operator…" />}
      {platform.isError && <QueryError error={platform.error} retry={() => void platform.refetch()} />}
      {platform.data && <PlatformFigures platform={platform.data} />}
    </Page>
  );
}

const STANDING_HEADER = ['Operator', 'Operator id', 'Currency', 'Car parks', 'Spaces occupied', 'Capacity', 'Monthly recurring revenue', 'Unpaid invoices', 'Arrears', 'Collected in 12 months'];

function PlatformFigures({ platform: p }: { platform: PlatformDashboard }) {
  const major = (minor: number) => (minor / 100).toFixed(2);
  const csv = toCsv(
    STANDING_HEADER,
    p.byOperator.map((o) => [o.name, o.operatorId, o.currency.toUpperCase(), o.carparks, o.occupied, o.capacity, major(o.mrr), o.arrears.count, major(o.arrears.amount), major(o.revenue)]),
  );
  return (
    <>
      <p className="card" data-testid="platform-counts">
        {p.operators} {p.operators === 1 ? 'operator' : 'operators'}, {p.carparks} {p.carparks === 1 ? 'car park' : 'car parks'}.{' '}
        <Link to="/console/operators">Find an operator</Link>
      </p>
      <section aria-labelledby="standing-heading" className="card">
        <h2 id="standing-heading">Operators by monthly recurring revenue</h2>
        {p.byOperator.length === 0 ? (
          <p>No operator has a car park yet.</p>
        ) : (
          <>
            <TableScroll label="Operators by monthly recurring revenue">
              <table data-testid="platform-operators">
                <thead>
                  <tr>
                    <th scope="col">Operator</th>
                    <th scope="col">Car parks</th>
                    <th scope="col">Occupied</th>
                    <th scope="col">Monthly recurring revenue</th>
                    <th scope="col">Arrears</th>
                    <th scope="col">Collected in 12 months</th>
                  </tr>
                </thead>
                <tbody>
                  {p.byOperator.map((o) => (
                    <tr key={`${o.operatorId}-${o.currency}`}>
                      <th scope="row">
                        <Link to={`/console/dashboard?operatorId=${o.operatorId}`}>{o.name}</Link>
                      </th>
                      <td>{o.carparks}</td>
                      <td>
                        {o.occupied} of {o.capacity}
                      </td>
                      <td>{money(o.mrr, o.currency)}</td>
                      <td>{o.arrears.count === 0 ? 'None' : `${o.arrears.count} unpaid, ${money(o.arrears.amount, o.currency)} a month`}</td>
                      <td>{money(o.revenue, o.currency)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
            <p>
              <a href={`data:text/csv;charset=utf-8,${encodeURIComponent(csv)}`} download="operators-by-revenue.csv">
                Download CSV
              </a>
            </p>
          </>
        )}
      </section>
      {p.currencies.map((c) => (
        <section key={c.currency} aria-labelledby={`${c.currency}-heading`} data-testid={`platform-${c.currency}`}>
          <h2 id={`${c.currency}-heading`}>
            {currencyName(c.currency)}: {c.carparks} {c.carparks === 1 ? 'car park' : 'car parks'}
          </h2>
          <DashboardFigures figures={c} currency={c.currency} scope={`platform-${c.currency}`} idPrefix={`${c.currency}-`} />
        </section>
      ))}
    </>
  );
}
