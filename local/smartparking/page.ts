/** The simulator's read-only home page: each site's whitelist, as a barrier operator would see it. */
import type { PlateRegistration } from '../../functions/domain/barrier';
import type { FaultSettings } from './faults';

export function renderWhitelistPage(sites: ReadonlyArray<readonly [string, PlateRegistration[]]>, faults: FaultSettings, now: Date): string {
  const faultText = Object.keys(faults).length === 0 ? 'none' : JSON.stringify(faults);
  const sections = sites.length === 0 ? '<p>No sites yet.</p>' : sites.map(([siteId, plates]) => renderSite(siteId, plates, now)).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="5">
<title>SmartParking simulator</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 2rem; color: #1b1b1b; }
  table { border-collapse: collapse; margin-bottom: 2rem; }
  th, td { border: 1px solid #ccc; padding: 0.3rem 0.6rem; text-align: left; }
  .plate { font-family: monospace; font-size: 1.1rem; background: #ffd500; padding: 0 0.3rem; }
  .muted { color: #666; }
</style>
</head>
<body>
<h1>SmartParking simulator</h1>
<p class="muted">Barrier whitelists per site. Refreshes every 5 seconds. Faults: <code>${escapeHtml(faultText)}</code></p>
${sections}
</body>
</html>
`;
}

function renderSite(siteId: string, plates: PlateRegistration[], now: Date): string {
  const rows = plates
    .map(
      (r) => `<tr><td><span class="plate">${escapeHtml(r.plate)}</span></td><td>${status(r, now)}</td><td>${escapeHtml(r.validFrom)}</td>` +
        `<td>${escapeHtml(r.validTo ?? 'open-ended')}</td><td>${escapeHtml(r.reference)}</td><td>${escapeHtml(r.registeredAt)}</td></tr>`,
    )
    .join('\n');
  const body = plates.length === 0
    ? '<p class="muted">No plates whitelisted.</p>'
    : `<table>
<thead><tr><th>Plate</th><th>Barrier</th><th>Valid from</th><th>Valid to</th><th>Reference</th><th>Registered at</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
  return `<h2>Site ${escapeHtml(siteId)} <span class="muted">(${plates.length} plate${plates.length === 1 ? '' : 's'})</span></h2>\n${body}`;
}

/** Whether the barrier would open for the plate now. */
function status(r: PlateRegistration, now: Date): string {
  const t = now.getTime();
  if (Date.parse(r.validFrom) > t) return 'not yet (scheduled)';
  if (r.validTo !== null && Date.parse(r.validTo) <= t) return 'no (expired)';
  return 'opens';
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
