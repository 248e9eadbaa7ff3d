import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../functions/environment';
import { STANDIN_PUBLISHABLE_KEY } from '../../local/stripe/stripe-js';
import { startTestTwin, type TestTwin } from '../support/twin';

let twin: TestTwin;
beforeAll(async () => {
  twin = await startTestTwin();
});
afterAll(() => twin?.close());

describe('GET /config', () => {
  it('gives anyone the Stripe publishable key and the twin’s Stripe.js script, cacheable for a few minutes', async () => {
    const res = await twin.request('GET', '/config');

    expect(res.status).toBe(200);
    expect(res.json).toEqual({ stripePublishableKey: STANDIN_PUBLISHABLE_KEY, stripeJsUrl: twin.integrations.stripe.stripeJsUrl });
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    const script = await fetch((res.json as { stripeJsUrl: string }).stripeJsUrl);
    expect(script.status).toBe(200);
    expect(await script.text()).toContain('window.Stripe = Stripe');
  });

  it('defaults the script to Stripe’s own, and answers 503 (not a 500) where no publishable key is configured', async () => {
    const saved = { key: process.env[ENV.stripePublishableKey], url: process.env[ENV.stripeJsUrl] };
    try {
      delete process.env[ENV.stripeJsUrl];
      expect((await twin.request('GET', '/config')).json).toEqual({ stripePublishableKey: STANDIN_PUBLISHABLE_KEY, stripeJsUrl: 'https://js.stripe.com/v3/' });
      delete process.env[ENV.stripePublishableKey];
      const res = await twin.request('GET', '/config');
      expect(res.status).toBe(503);
      expect(res.json).toEqual({ error: { code: 'payments_not_configured', message: expect.any(String) } });
    } finally {
      process.env[ENV.stripePublishableKey] = saved.key;
      process.env[ENV.stripeJsUrl] = saved.url;
    }
  });
});
