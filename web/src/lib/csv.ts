/**
 * RFC 4180 CSV: fields with a comma, quote or line break are quoted; lines end with CRLF. A text
 * that a spreadsheet would run as a formula (it starts with =, +, -, @, a tab or a carriage
 * return: a name anyone can give themselves) is prefixed with an apostrophe, so it reads as the
 * text it is; numbers, negative ones included, are left as they are.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const field = (v: string | number) => {
    const text = typeof v === 'string' && /^[=+\-@\t\r]/.test(v) && !/^-?\d+(\.\d+)?$/.test(v) ? `'${v}` : String(v);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [...(header.length > 0 ? [header] : []), ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}
