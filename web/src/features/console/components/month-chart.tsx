/**
 * A chart of the last 12 months (uPlot: a canvas chart of about 20 KB gzipped, loaded with the
 * dashboard's page only), with its figures as a table a screen reader can read and a CSV download
 * of exactly what is drawn.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { toCsv } from '../../../lib/csv';

const WHOLE_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000];

export interface ChartSeries {
  readonly label: string;
  readonly values: readonly number[];
  readonly color: string;
}

/** `2026-12` → `Dec 2026`. */
export const monthName = (month: string) =>
  new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));

export function MonthChart({
  id,
  title,
  months,
  series,
  kind,
  format,
  csvName,
  csvValue = (v) => v,
  whole = false,
}: {
  id: string;
  title: string;
  months: readonly string[];
  series: readonly ChartSeries[];
  kind: 'line' | 'bars';
  /** How a value reads (axis, table). */
  format: (value: number) => string;
  csvName: string;
  /** How a value is written to the CSV (e.g. money in major units). */
  csvValue?: (value: number) => string | number;
  /** Counts: the axis ticks at whole numbers only. */
  whole?: boolean;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const width = Math.max(280, element.clientWidth);
    // Bars of several series stand side by side in their month (at most two: left and right).
    const bars = (i: number) => uPlot.paths.bars!({ size: [0.7 / series.length, 60], align: series.length === 1 ? 0 : i === 0 ? -1 : 1 });
    const plot = new uPlot(
      {
        width,
        height: 220,
        legend: { show: series.length > 1 },
        cursor: { show: true, drag: { x: false, y: false } },
        // From zero, and never a scale of nothing when every month is zero.
        scales: { x: { time: false, range: [-0.5, months.length - 0.5] }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
        axes: [
          { values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) && months[t] ? monthName(months[t]!).split(' ')[0]! : '')) },
          // Counts tick at whole numbers only.
          { values: (_u, ticks) => ticks.map(format), size: 70, ...(whole ? { incrs: WHOLE_STEPS } : {}) },
        ],
        series: [
          { label: 'Month', value: (_u: uPlot, v: number | null) => (v === null || !months[v] ? '' : monthName(months[v]!)) },
          ...series.map((s, i) => ({
            label: s.label,
            stroke: s.color,
            width: 2,
            ...(kind === 'bars' ? { fill: s.color, paths: bars(i), points: { show: false } } : {}),
            value: (_u: uPlot, v: number | null) => (v === null ? '' : format(v)),
          })),
        ],
      },
      [months.map((_m, i) => i), ...series.map((s) => [...s.values])],
      element,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(280, element.clientWidth), height: 220 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [months, series, kind, format, whole]);

  const csv = toCsv(
    ['month', ...series.map((s) => s.label)],
    months.map((m, i) => [m, ...series.map((s) => csvValue(s.values[i] ?? 0))]),
  );
  return (
    <section className="card chart" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      <div ref={box} className="chart-canvas" role="img" aria-label={`${title}: chart of the last ${months.length} months; the figures are in the table below`} />
      <details>
        <summary>The figures</summary>
        <table data-testid={`${id}-table`}>
          <thead>
            <tr>
              <th scope="col">Month</th>
              {series.map((s) => (
                <th scope="col" key={s.label}>
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {months.map((m, i) => (
              <tr key={m}>
                <th scope="row">{monthName(m)}</th>
                {series.map((s) => (
                  <td key={s.label}>{format(s.values[i] ?? 0)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <p>
        <a href={`data:text/csv;charset=utf-8,${encodeURIComponent(csv)}`} download={csvName}>
          Download CSV
        </a>
      </p>
    </section>
  );
}
