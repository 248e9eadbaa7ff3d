/**
 * Just enough MIME to read what SendRawEmail carries: headers (with RFC 2047 encoded words),
 * nested multiparts, base64 and quoted-printable parts, the first text/plain and text/html bodies.
 */

export interface ParsedMail {
  readonly headers: Map<string, string>;
  readonly text: string | null;
  readonly html: string | null;
}

export function parseMail(raw: Buffer | string): ParsedMail {
  const source = typeof raw === 'string' ? raw : raw.toString('latin1');
  const { headers, body } = splitEntity(source);
  const bodies: { text: string | null; html: string | null } = { text: null, html: null };
  collectBodies(headers, body, bodies);
  return { headers, ...bodies };
}

/** Splits an address header (`"Doe, Jane" <jane@x.test>, bob@y.test`) into its addresses. */
export function splitAddresses(header: string | undefined): string[] {
  if (!header) return [];
  const addresses: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of header) {
    if (char === '"') quoted = !quoted;
    if (char === ',' && !quoted) {
      addresses.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  addresses.push(current);
  return addresses.map((address) => address.trim()).filter(Boolean);
}

function splitEntity(source: string): { headers: Map<string, string>; body: string } {
  const separator = /\r?\n\r?\n/.exec(source);
  const head = separator ? source.slice(0, separator.index) : source;
  const body = separator ? source.slice(separator.index + separator[0].length) : '';
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    // Raw 8-bit header bytes are taken as UTF-8, as SES does.
    const value = Buffer.from(line.slice(colon + 1).trim(), 'latin1').toString('utf8');
    if (!headers.has(name)) headers.set(name, decodeEncodedWords(value));
  }
  return { headers, body };
}

function collectBodies(headers: Map<string, string>, body: string, found: { text: string | null; html: string | null }): void {
  const contentType = headers.get('content-type') ?? 'text/plain';
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? 'text/plain';
  if (mediaType.startsWith('multipart/')) {
    const boundary = parameter(contentType, 'boundary');
    if (!boundary) return;
    for (const part of splitMultipart(body, boundary)) {
      const entity = splitEntity(part);
      collectBodies(entity.headers, entity.body, found);
    }
    return;
  }
  if (/^attachment/i.test(headers.get('content-disposition') ?? '')) return;
  const content = decodeBody(body, headers.get('content-transfer-encoding'), parameter(contentType, 'charset'));
  if (mediaType === 'text/plain' && found.text === null) found.text = content;
  if (mediaType === 'text/html' && found.html === null) found.html = content;
}

function splitMultipart(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const parts = body.split(new RegExp(`\\r?\\n?${escapeRegExp(delimiter)}`));
  // Drop the preamble before the first delimiter and everything after the closing `--`.
  return parts
    .slice(1)
    .filter((part) => !part.startsWith('--'))
    .map((part) => part.replace(/^[ \t]*\r?\n/, ''));
}

function decodeBody(body: string, transferEncoding: string | undefined, charset: string | undefined): string {
  const encoding = (transferEncoding ?? '7bit').toLowerCase();
  const bytes =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64')
      : encoding === 'quoted-printable'
        ? decodeQuotedPrintable(body)
        : Buffer.from(body, 'latin1');
  return decodeCharset(bytes, charset).replace(/\r\n/g, '\n').replace(/\n$/, '');
}

function decodeQuotedPrintable(body: string): Buffer {
  const unwrapped = body.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let index = 0; index < unwrapped.length; index++) {
    const hex = unwrapped.slice(index + 1, index + 3);
    if (unwrapped[index] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      index += 2;
    } else {
      bytes.push(unwrapped.charCodeAt(index) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/** `=?UTF-8?B?...?=` and `=?UTF-8?Q?...?=` words in header values. */
function decodeEncodedWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_word, charset: string, encoding: string, text: string) => {
      const bytes =
        encoding.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : decodeQuotedPrintable(text.replace(/_/g, ' '));
      return decodeCharset(bytes, charset);
    });
}

/** Header bytes arrive as latin1 code units; re-read them in the declared charset. */
function decodeCharset(bytes: Buffer, charset: string | undefined): string {
  const label = (charset ?? 'utf-8').toLowerCase();
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return bytes.toString('utf8');
  }
}

function parameter(headerValue: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}\\s*=\\s*("([^"]*)"|[^;\\s]+)`, 'i').exec(headerValue);
  return match ? (match[2] ?? match[1]) : undefined;
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
