/**
 * The twin's console: the outbox over HTTP. `/outbox` lists messages newest first, `/outbox/{id}`
 * shows one (its HTML body in a sandboxed frame, or its text), `/outbox.json` is the raw list.
 * Links in a message open in a new tab, outside the frame's sandbox, so the page they lead to
 * (a password reset form, the portal) works as it would from a mail client.
 */
import type { Outbox, OutboxMessage } from './outbox';

export interface ConsoleResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export async function outboxConsole(outbox: Outbox, path: string): Promise<ConsoleResponse | undefined> {
  if (path === '/' || path === '') return { statusCode: 302, headers: { location: '/outbox' }, body: '' };
  if (path === '/outbox' || path === '/outbox/') return html(listPage(newestFirst(await outbox.list())));
  if (path === '/outbox.json') return json(newestFirst(await outbox.list()));

  const match = /^\/outbox\/([^/]+?)(\.json|\/body)?$/.exec(path);
  if (!match?.[1]) return undefined;
  const message = await outbox.get(decodeURIComponent(match[1]));
  if (!message) return { statusCode: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'No such message' };
  if (match[2] === '.json') return json(message);
  if (match[2] === '/body') {
    return message.html === null
      ? { statusCode: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: message.text ?? '' }
      : html(linksInNewTab(message.html));
  }
  return html(messagePage(message));
}

function listPage(messages: OutboxMessage[]): string {
  const rows = messages
    .map(
      (message) => `<tr>
        <td>${escapeHtml(new Date(message.sentAt).toLocaleString())}</td>
        <td>${escapeHtml(message.to.join(', '))}</td>
        <td><a href="/outbox/${encodeURIComponent(message.messageId)}">${escapeHtml(message.subject || '(no subject)')}</a></td>
      </tr>`,
    )
    .join('\n');
  return page(
    'Outbox',
    `<h1>Outbox <small>${messages.length} message${messages.length === 1 ? '' : 's'}</small></h1>
    <p>Every email the platform sent through the local SES stand-in. <a href="/outbox.json">JSON</a></p>
    ${
      messages.length === 0
        ? '<p><em>Nothing sent yet.</em></p>'
        : `<table><thead><tr><th>Sent</th><th>To</th><th>Subject</th></tr></thead><tbody>${rows}</tbody></table>`
    }`,
  );
}

function messagePage(message: OutboxMessage): string {
  const field = (label: string, value: string) => `<tr><th>${label}</th><td>${escapeHtml(value)}</td></tr>`;
  const body = message.html !== null
    ? `<iframe sandbox="allow-popups allow-popups-to-escape-sandbox" src="/outbox/${encodeURIComponent(message.messageId)}/body" title="Message body"></iframe>`
    : `<pre>${linkify(message.text ?? '')}</pre>`;
  return page(
    message.subject || 'Message',
    `<p><a href="/outbox">&larr; Outbox</a> · <a href="/outbox/${encodeURIComponent(message.messageId)}.json">JSON</a></p>
    <table class="meta">
      ${field('From', message.from)}
      ${field('To', message.to.join(', '))}
      ${message.cc ? field('Cc', message.cc.join(', ')) : ''}
      ${field('Subject', message.subject)}
      ${field('Sent', new Date(message.sentAt).toLocaleString())}
      ${field('Message id', message.messageId)}
    </table>
    ${body}
    ${
      message.html !== null && message.text !== null
        ? `<details><summary>Text part</summary><pre>${linkify(message.text)}</pre></details>`
        : ''
    }`,
  );
}

function page(title: string, content: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)} · Carpark Tenancy twin</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 2rem; color: #1d2330; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #e3e6ec; vertical-align: top; }
  table.meta { width: auto; margin-bottom: 1rem; }
  iframe { width: 100%; height: 60vh; border: 1px solid #e3e6ec; }
  pre { white-space: pre-wrap; background: #f6f7f9; padding: 1rem; }
  small { color: #6b7385; font-weight: normal; }
</style>
</head>
<body>
${content}
</body>
</html>
`;
}

const NEW_TAB = 'target="_blank" rel="noopener"';

/** Every link of an email's HTML opens in a new tab (a `<base>` for links we do not rewrite). */
function linksInNewTab(body: string): string {
  const rewritten = body.replace(/<a\b(?![^>]*\btarget=)([^>]*)>/gi, `<a ${NEW_TAB}$1>`);
  const base = '<base target="_blank">';
  return /<head[^>]*>/i.test(rewritten) ? rewritten.replace(/<head[^>]*>/i, (head) => `${head}${base}`) : `${base}${rewritten}`;
}

/** Escaped text with its http(s) URLs as links that open in a new tab. */
function linkify(text: string): string {
  return escapeHtml(text).replace(/https?:\/\/[^\s<]+[^\s<.,;:)]/g, (url) => `<a href="${url}" ${NEW_TAB}>${url}</a>`);
}

function newestFirst(messages: OutboxMessage[]): OutboxMessage[] {
  return [...messages].reverse();
}

function html(body: string): ConsoleResponse {
  return { statusCode: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body };
}

function json(value: unknown): ConsoleResponse {
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value, null, 2) };
}

function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
