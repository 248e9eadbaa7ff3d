/** A dashboard's figures (an operator's, a car park's, or the platform's in one currency): now, then a chart and a CSV per measure. */
import { useMemo } from 'react';
import { longDate, money, vehicleTypeName } from '../../../lib/format';
import type { Dashboard } from '../../../lib/api/types';
import { VEHICLE_TYPES } from '../api';
import { MonthChart, monthName } from './month-chart';

/** Colours told apart by people with the common colour-vision deficiencies (Okabe–Ito). */
const COLOURS = { car: '#0072B2', motorcycle: '#E69F00', van: '#009E73', ev: '#CC79A7', first: '#0072B2', second: '#D55E00' } as const;
const count = (n: number) => String(Math.round(n));
const percent = (rate: number) => `${Math.round(rate * 100)}%`;

/** The vehicle types the car parks have room for, or held in the last 12 months. */
const typesShown = (d: Figures) => VEHICLE_TYPES.filter((t) => (d.now.capacity[t] ?? 0) > 0 || d.months.some((m) => (m.occupied[t] ?? 0) > 0));

type Figures = Pick<Dashboard, 'now' | 'months'>;

/** `scope` names the CSV files; `idPrefix` keeps chart ids apart when a page shows several currencies. */
export function DashboardFigures({ figures: d, currency, scope, idPrefix = '' }: { figures: Figures; currency: string; scope: string; idPrefix?: string }) {
  const months = useMemo(() => d.months.map((m) => m.month), [d]);
  const gbp = useMemo(() => (minor: number) => money(minor, currency), [currency]);
  const major = (minor: number) => (minor / 100).toFixed(2);
  const types = typesShown(d);
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
      <MonthChart id={`${idPrefix}occupancy`} title="Spaces occupied (end of each month)" months={months} series={occupancy} kind="line" format={count} csvName={file('occupancy')} whole />
      <MonthChart id={`${idPrefix}revenue`} title="Revenue collected" months={months} series={revenue} kind="bars" format={gbp} csvName={file('revenue')} csvValue={major} />
      <MonthChart id={`${idPrefix}churn`} title="Tenancies ended (churn)" months={months} series={churn} kind="bars" format={count} csvName={file('churn')} whole />
      <MonthChart id={`${idPrefix}payments`} title="Failed payments, and how many were paid later" months={months} series={payments} kind="bars" format={count} csvName={file('payments')} whole />
    </>
  );
}
