/** RFC 4180 CSV: fields with a comma, quote or line break are quoted; lines end with CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const field = (v: string | number) => (/[",\r\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  return [...(header.length > 0 ? [header] : []), ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}
