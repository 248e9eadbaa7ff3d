import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { SelectField } from '../../../components/form';
import { Page } from '../../../components/page';
import { Loading, QueryError } from '../../../components/status';
import { RequireConsole, useSession } from '../../../lib/auth';
import { longDate, money, vehicleTypeName } from '../../../lib/format';
import type { Dashboard } from '../../../lib/api/types';
import { useConsoleCarparks, useDashboard, VEHICLE_TYPES } from '../api';
import { ConsoleNav } from '../components/console-nav';
import { MonthChart, monthName } from '../components/month-chart';

export default function ConsoleDashboardRoute() {
  return (
    <RequireConsole>
      <ConsoleNav />
      <ConsoleDashboard />
    </RequireConsole>
  );
}

/** Colours told apart by people with the common colour-vision deficiencies (Okabe–Ito). */
const COLOURS = { car: '#0072B2', motorcycle: '#E69F00', van: '#009E73', ev: '#CC79A7', first: '#0072B2', second: '#D55E00' } as const;
const count = (n: number) => String(Math.round(n));
const percent = (rate: number) => `${Math.round(rate * 100)}%`;

function ConsoleDashboard() {
  const session = useSession()!;
  const admin = session.user.role === 'admin';
  const [params, setParams] = useSearchParams();
  const carparks = useConsoleCarparks(session);
  const carparkId = params.get('carparkId') ?? undefined;
  // An operator's own; an admin's, the operator of the car park chosen (or named).
  const operatorId =
    session.user.role === 'operator'
      ? session.user.operatorId
      : (params.get('operatorId') ?? carparks.data?.find((c) => c.carparkId === carparkId)?.operatorId ?? carparks.data?.[0]?.operatorId);
  const dashboard = useDashboard(operatorId, carparkId);
  const choices = carparks.data?.filter((c) => c.operatorId === operatorId) ?? [];

  return (
    <Page title="Dashboard" lead="Occupancy, revenue, arrears and churn over the last 12 months.">
      <form
        className="card filters"
        aria-label="Which car parks"
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          const next = new URLSearchParams();
          const chosenOperator = String(form.get('operatorId') ?? '');
          if (admin && chosenOperator) next.set('operatorId', chosenOperator);
          // A car park of another operator than the one chosen is dropped.
          const chosenCarpark = String(form.get('carparkId') ?? '');
          if (chosenCarpark && (!admin || chosenOperator === operatorId)) next.set('carparkId', chosenCarpark);
          setParams(next);
        }}
      >
        {admin && carparks.data && (
          <SelectField label="Operator" name="operatorId" defaultValue={operatorId ?? ''} key={`o-${operatorId ?? ''}`}>
            {[...new Map(carparks.data.map((c) => [c.operatorId, c])).values()].map((c) => (
              <option key={c.operatorId} value={c.operatorId}>
                The operator of {c.name}
              </option>
            ))}
          </SelectField>
        )}
        <SelectField label="Car park" name="carparkId" defaultValue={carparkId ?? ''} key={`c-${carparkId ?? ''}-${operatorId ?? ''}`}>
          <option value="">{admin ? 'All of this operator’s car parks' : 'All my car parks'}</option>
          {choices.map((c) => (
            <option key={c.carparkId} value={c.carparkId}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <button type="submit">Show</button>
      </form>
      {dashboard.isPending && <Loading label="Loading the dashboard…" />}
      {dashboard.isError && <QueryError error={dashboard.error} retry={() => void dashboard.refetch()} />}
      {dashboard.data && <Figures dashboard={dashboard.data} />}
    </Page>
  );
}

/** The vehicle types the car parks have room for, or held in the last 12 months. */
const typesShown = (d: Dashboard) => VEHICLE_TYPES.filter((t) => (d.now.capacity[t] ?? 0) > 0 || d.months.some((m) => (m.occupied[t] ?? 0) > 0));

function Figures({ dashboard: d }: { dashboard: Dashboard }) {
  const months = useMemo(() => d.months.map((m) => m.month), [d]);
  const gbp = useMemo(() => (minor: number) => money(minor, d.currency), [d.currency]);
  const major = (minor: number) => (minor / 100).toFixed(2);
  const types = typesShown(d);
  const scope = d.carparkId ? (d.carparks.find((c) => c.carparkId === d.carparkId)?.name ?? 'car-park') : 'all-car-parks';
  const file = (what: string) => `${scope.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${what}.csv`;
  const occupancy = useMemo(
    () => typesShown(d).map((t) => ({ label: vehicleTypeName(t), color: COLOURS[t], values: d.months.map((m) => m.occupied[t] ?? 0) })),
    [d],
  );
  const revenue = useMemo(() => [{ label: 'Collected', color: COLOURS.first, values: d.months.map((m) => m.revenue) }], [d]);
  const churn = useMemo(() => [{ label: 'Ended', color: COLOURS.second, values: d.months.map((m) => m.ended) }], [d]);
  const payments = useMemo(
    () => [
      { label: 'Failed', color: COLOURS.second, values: d.months.map((m) => m.paymentsFailed) },
      { label: 'Recovered', color: COLOURS.first, values: d.months.map((m) => m.paymentsRecovered) },
    ],
    [d],
  );
  const last = d.months.at(-1);
  return (
    <>
      <dl className="figures" data-testid="dashboard-now">
        <div>
          <dt>Occupied now</dt>
          <dd>
            {types.map((t) => (
              <span key={t}>
                {vehicleTypeName(t)}: {d.now.occupied[t] ?? 0} of {d.now.capacity[t] ?? 0}
                <br />
              </span>
            ))}
          </dd>
        </div>
        <div>
          <dt>Monthly recurring revenue</dt>
          <dd>{gbp(d.now.mrr)}</dd>
        </div>
        <div>
          <dt>Collected in {last ? monthName(last.month) : 'this month'}</dt>
          <dd>{gbp(last?.revenue ?? 0)}</dd>
        </div>
        <div>
          <dt>Arrears</dt>
          <dd>
            {d.now.arrears.count === 0
              ? 'None'
              : `${d.now.arrears.count} unpaid ${d.now.arrears.count === 1 ? 'invoice' : 'invoices'} for ${gbp(d.now.arrears.amount)} a month of spaces; oldest since ${longDate(d.now.arrears.oldestSince!)}`}
          </dd>
        </div>
        <div>
          <dt>Failed payments recovered</dt>
          <dd>{d.now.recoveryRate === null ? 'No failed payments in these 12 months' : percent(d.now.recoveryRate)}</dd>
        </div>
      </dl>
      <MonthChart id="occupancy" title="Spaces occupied (end of each month)" months={months} series={occupancy} kind="line" format={count} csvName={file('occupancy')} whole />
      <MonthChart id="revenue" title="Revenue collected" months={months} series={revenue} kind="bars" format={gbp} csvName={file('revenue')} csvValue={major} />
      <MonthChart id="churn" title="Tenancies ended (churn)" months={months} series={churn} kind="bars" format={count} csvName={file('churn')} whole />
      <MonthChart id="payments" title="Failed payments, and how many were paid later" months={months} series={payments} kind="bars" format={count} csvName={file('payments')} whole />
    </>
  );
}
