import { describe, expect, it } from 'vitest';
import { outboxConsole } from '../../local/standins/outbox-console';
import type { Outbox, OutboxMessage } from '../../local/standins/outbox';

const RESET = 'http://127.0.0.1:3000/reset-password?token=abc';
const message = (over: Partial<OutboxMessage>): OutboxMessage => ({
  messageId: 'm1',
  from: 'no-reply@carpark.local',
  to: ['sam@example.com'],
  subject: 'Reset your Carpark Tenancy password',
  text: `Use this link:\n${RESET}\n`,
  html: `<p>Use this link:</p><p><a href="${RESET}">Reset my password</a></p>`,
  sentAt: '2026-12-04T14:05:00.000Z',
  ...over,
});
const outboxOf = (m: OutboxMessage): Outbox =>
  ({ dir: '', save: async () => undefined, list: async () => [m], get: async (id: string) => (id === m.messageId ? m : undefined), waitFor: async () => m }) as Outbox;

describe('the outbox console', () => {
  it('frames an HTML body in a sandbox that still lets its links open, unsandboxed, in a new tab', async () => {
    const pageHtml = (await outboxConsole(outboxOf(message({})), '/outbox/m1'))!.body;
    expect(pageHtml).toMatch(/<iframe sandbox="allow-popups allow-popups-to-escape-sandbox" src="\/outbox\/m1\/body"/);
    expect(pageHtml).not.toMatch(/allow-scripts|allow-same-origin/);
  });

  it('serves the HTML body with every link opening in a new tab without access to the console', async () => {
    const body = (await outboxConsole(outboxOf(message({})), '/outbox/m1/body'))!.body;
    expect(body).toContain(`<a target="_blank" rel="noopener" href="${RESET}">Reset my password</a>`);
    expect(body.startsWith('<base target="_blank">')).toBe(true);
  });

  it('leaves a link that names its own target alone', async () => {
    const body = (await outboxConsole(outboxOf(message({ html: '<html><head></head><body><a target="_self" href="/x">x</a></body></html>' })), '/outbox/m1/body'))!.body;
    expect(body).toBe('<html><head><base target="_blank"></head><body><a target="_self" href="/x">x</a></body></html>');
  });

  it('turns the URLs of a text-only message into new-tab links, the rest escaped', async () => {
    const pageHtml = (await outboxConsole(outboxOf(message({ html: null, text: `Hi <Sam>,\n${RESET}&x=1.` })), '/outbox/m1'))!.body;
    expect(pageHtml).toContain(`<pre>Hi &lt;Sam&gt;,\n<a href="${RESET}&amp;x=1" target="_blank" rel="noopener">${RESET}&amp;x=1</a>.</pre>`);
  });
});
