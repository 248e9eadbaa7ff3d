/**
 * `npm run stripe:setup` against the stand-in: creates the webhook endpoint with exactly the
 * events the platform's rules consume and the pinned API version, corrects one that drifted,
 * replaces one on another API version, leaves a right one alone, and in check-only mode changes
 * nothing but says what is wrong.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumedEventTypes, describeReport, PINNED_API_VERSION, setupStripe } from '../../../bin/stripe-setup';
import { eventRules } from '../../../functions/events';
import { startHarness, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.standin.close();
});

const endpointsFor = async (url: string) => (await h.stripe.webhookEndpoints.list({ limit: 100 })).data.filter((e) => e.url === url);

describe('stripe:setup', () => {
  it('subscribes to exactly the event types the rules consume', () => {
    const types = consumedEventTypes();
    for (const rule of eventRules) for (const t of (rule.pattern as { 'detail-type': string[] })['detail-type']) expect(types).toContain(t);
    expect(types).toEqual([...new Set(types)].sort());
    expect(types).toContain('invoice.paid');
  });

  it('creates the endpoint with the pinned API version and prints its new secret and the Dashboard checklist', async () => {
    const url = 'https://api.example/webhooks/stripe-create';
    const report = await setupStripe(h.stripe, { url });
    expect(report.action).toBe('created');
    expect(report.signingSecret).toMatch(/^whsec_/);
    const [endpoint, ...more] = await endpointsFor(url);
    expect(more).toEqual([]);
    expect([...endpoint!.enabled_events].sort()).toEqual(consumedEventTypes());
    expect(endpoint!.api_version).toBe(PINNED_API_VERSION);
    const text = describeReport(report, { url });
    expect(text).toContain('Smart Retries');
    expect(text).toContain('leave the invoice open');
    expect(text).toContain(report.signingSecret);

    expect(await setupStripe(h.stripe, { url }), 'a second run changes nothing').toMatchObject({ action: 'unchanged', differences: [] });
  });

  it('puts drifted events right and enables a disabled endpoint, keeping its secret', async () => {
    const url = 'https://api.example/webhooks/stripe-drift';
    const created = await h.stripe.webhookEndpoints.create({ url, enabled_events: ['invoice.paid', 'charge.refunded'], api_version: PINNED_API_VERSION as never });
    await h.stripe.webhookEndpoints.update(created.id, { disabled: true });

    const checked = await setupStripe(h.stripe, { url, checkOnly: true });
    expect(checked.action).toBe('needs_change');
    expect(checked.differences.join('\n')).toMatch(/events missing: .*customer\.subscription\.deleted/);
    expect(checked.differences.join('\n')).toContain('events not consumed: charge.refunded');
    expect(checked.differences.join('\n')).toContain('status disabled');
    expect((await endpointsFor(url))[0]!.enabled_events, 'check-only changes nothing').toEqual(['invoice.paid', 'charge.refunded']);

    const report = await setupStripe(h.stripe, { url });
    expect(report).toMatchObject({ action: 'updated', endpointId: created.id });
    expect(report.signingSecret).toBeUndefined();
    const [endpoint] = await endpointsFor(url);
    expect([...endpoint!.enabled_events].sort()).toEqual(consumedEventTypes());
    expect(endpoint!.status).toBe('enabled');
  });

  it('replaces an endpoint on another API version (Stripe cannot change it in place) and removes duplicates', async () => {
    const url = 'https://api.example/webhooks/stripe-version';
    const old = await h.stripe.webhookEndpoints.create({ url, enabled_events: consumedEventTypes() as never, api_version: '2024-06-20' as never });
    const report = await setupStripe(h.stripe, { url });
    expect(report.action).toBe('replaced');
    expect(report.signingSecret).toMatch(/^whsec_/);
    const endpoints = await endpointsFor(url);
    expect(endpoints.map((e) => e.id)).toEqual([report.endpointId]);
    expect(endpoints[0]!.id).not.toBe(old.id);
    expect(endpoints[0]!.api_version).toBe(PINNED_API_VERSION);

    await h.stripe.webhookEndpoints.create({ url, enabled_events: consumedEventTypes() as never, api_version: PINNED_API_VERSION as never });
    expect((await setupStripe(h.stripe, { url, checkOnly: true })).differences.join('\n')).toContain('duplicate endpoint');
    await setupStripe(h.stripe, { url });
    expect(await endpointsFor(url)).toHaveLength(1);
  });

  it('runs as the npm script, exiting non-zero in check-only mode when a change is needed', async () => {
    const url = 'https://api.example/webhooks/stripe-cli';
    const base = `http://${h.standin.host}:${h.standin.port}`;
    const run = (extra: string[]) =>
      promisify(execFile)('npx', ['tsx', 'bin/stripe-setup.ts', '--api-key', 'sk_test_local', '--url', url, '--api-base', base, ...extra], { cwd: process.cwd() });
    await expect(run(['--check-only'])).rejects.toMatchObject({ code: 1 });
    const { stdout } = await run([]);
    expect(stdout).toContain(`Webhook endpoint ${url}: created`);
    expect(stdout).toContain('Smart Retries');
    expect(await setupStripe(h.stripe, { url, checkOnly: true })).toMatchObject({ action: 'unchanged' });
  }, 60_000);
});
