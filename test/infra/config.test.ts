import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_SMARTPARKING_BASE_URL, loadConfig, parseConfig } from '../../lib/config';
import { repoRoot } from '../../lib/paths';
import { testContext } from './helpers';

const prodContext = { ...testContext, stage: 'prod', allowedOrigins: ['https://app.example.com'] };

function problemsOf(raw: Record<string, unknown>): readonly string[] {
  try {
    parseConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('accepts the context committed in cdk.json', () => {
    const cdkJson = JSON.parse(readFileSync(path.join(repoRoot, 'cdk.json'), 'utf8')) as {
      context: Record<string, unknown>;
    };

    const config = parseConfig(cdkJson.context);

    expect(config.stage).toBe(cdkJson.context.stage);
    expect(config.allowedOrigins).toEqual(cdkJson.context.allowedOrigins);
    expect(config.smartParkingBaseUrl).toBe(cdkJson.context.smartParkingBaseUrl);
  });

  it('reads its values from the app context', () => {
    const app = new App({ context: prodContext });

    const config = loadConfig(app);

    expect(config).toEqual({ ...prodContext, isProd: true, manageSenderIdentity: true });
  });

  it('reads the dunning retry schedule as a list or a comma list, and refuses one that does not increase', () => {
    expect(parseConfig(testContext).dunningRetryDays).toBeUndefined();
    expect(parseConfig({ ...testContext, dunningRetryDays: [2, 4, 8] }).dunningRetryDays).toBe('2,4,8');
    expect(parseConfig({ ...testContext, dunningRetryDays: '1, 3' }).dunningRetryDays).toBe('1,3');
    expect(problemsOf({ ...testContext, dunningRetryDays: '3,1' })).toEqual([
      'dunningRetryDays: increasing positive day counts, e.g. [1, 3, 5] (got "3,1")',
    ]);
  });

  it('requires a Stripe publishable key in prod only, and checks the Stripe.js URL', () => {
    const { stripePublishableKey: _key, ...withoutKey } = testContext;
    expect(parseConfig(withoutKey).stripePublishableKey).toBeUndefined();
    expect(problemsOf({ ...withoutKey, stage: 'prod', allowedOrigins: ['https://app.example.com'] })).toEqual([
      'stripePublishableKey: a Stripe publishable key, pk_live_... or pk_test_... (required in prod) (got nothing)',
    ]);
    expect(problemsOf({ ...testContext, stripePublishableKey: 'sk_live_oops' })).toEqual([
      'stripePublishableKey: a Stripe publishable key, pk_live_... or pk_test_... (got "sk_live_oops")',
    ]);
    expect(parseConfig({ ...testContext, stripeJsUrl: 'http://127.0.0.1:12111/v3/' }).stripeJsUrl).toBe('http://127.0.0.1:12111/v3/');
    expect(problemsOf({ ...prodContext, stripeJsUrl: 'http://js.example.com/v3/' })).toEqual([
      'stripeJsUrl: must use https in prod (got "http://js.example.com/v3/")',
    ]);
  });

  it('treats only the prod stage as production', () => {
    expect(parseConfig(prodContext).isProd).toBe(true);
    expect(parseConfig({ ...testContext, stage: 'production-like' }).isProd).toBe(false);
    expect(parseConfig({ ...testContext, stage: 'dev' }).isProd).toBe(false);
  });

  it('accepts allowedOrigins as a JSON string or a comma list, as the -c flag passes them', () => {
    const fromJson = parseConfig({ ...testContext, allowedOrigins: '["https://a.example.com","https://b.example.com"]' });
    const fromList = parseConfig({ ...testContext, allowedOrigins: 'https://a.example.com, https://b.example.com' });

    expect(fromJson.allowedOrigins).toEqual(['https://a.example.com', 'https://b.example.com']);
    expect(fromList.allowedOrigins).toEqual(fromJson.allowedOrigins);
  });

  it('reads manageSenderIdentity as a boolean, defaulting to true', () => {
    expect(parseConfig(testContext).manageSenderIdentity).toBe(true);
    expect(parseConfig({ ...testContext, manageSenderIdentity: 'false' }).manageSenderIdentity).toBe(false);
    expect(parseConfig({ ...testContext, manageSenderIdentity: false }).manageSenderIdentity).toBe(false);
    expect(problemsOf({ ...testContext, manageSenderIdentity: 'no' })).toEqual([
      expect.stringMatching(/^manageSenderIdentity: true or false/),
    ]);
  });

  it('defaults the SmartParking base URL to a placeholder outside prod only', () => {
    const { smartParkingBaseUrl: _, ...withoutUrl } = testContext;

    expect(parseConfig(withoutUrl).smartParkingBaseUrl).toBe(DEFAULT_SMARTPARKING_BASE_URL);
    expect(problemsOf({ ...withoutUrl, stage: 'prod', allowedOrigins: ['https://app.example.com'] })).toEqual([
      'smartParkingBaseUrl: the SmartParking API base URL (required in prod) (got nothing)',
    ]);
  });

  it('keeps a path prefix in the SmartParking base URL', () => {
    expect(parseConfig({ ...testContext, smartParkingBaseUrl: 'https://api.smartparking.test/v2/' }).smartParkingBaseUrl).toBe(
      'https://api.smartparking.test/v2/',
    );
  });

  it('refuses a placeholder SmartParking host in prod, such as the one in cdk.json', () => {
    expect(problemsOf({ ...prodContext, smartParkingBaseUrl: DEFAULT_SMARTPARKING_BASE_URL })).toEqual([
      `smartParkingBaseUrl: a placeholder host (reserved TLD) cannot be used in prod (got "${DEFAULT_SMARTPARKING_BASE_URL}")`,
    ]);
    expect(problemsOf({ ...prodContext, smartParkingBaseUrl: 'https://sandbox.smartparking.test' })).toHaveLength(1);
    expect(parseConfig({ ...testContext, smartParkingBaseUrl: DEFAULT_SMARTPARKING_BASE_URL }).isProd).toBe(false);
  });

  it.each([
    ['stage', undefined, /^stage: /],
    ['stage', 'Prod', /^stage: lower-case/],
    ['stage', 'a-stage-name-longer-than-twenty', /^stage: /],
    ['alarmEmail', 'alerts', /^alarmEmail: an email address \(got "alerts"\)/],
    ['senderEmail', 42, /^senderEmail: an email address \(got 42\)/],
    ['allowedOrigins', [], /^allowedOrigins: a non-empty array/],
    ['allowedOrigins', '[not json', /^allowedOrigins: a non-empty array/],
    ['allowedOrigins', ['https://app.example.com/'], /^allowedOrigins: an origin has no path or trailing slash/],
    ['allowedOrigins', ['ftp://app.example.com'], /^allowedOrigins: must use http or https/],
    ['allowedOrigins', ['*'], /^allowedOrigins: not a valid URL/],
    ['webBaseUrl', 'app.example.com', /^webBaseUrl: not a valid URL/],
    ['webBaseUrl', undefined, /^webBaseUrl: a URL/],
    ['smartParkingBaseUrl', 42, /^smartParkingBaseUrl: a URL \(got 42\)/],
    ['smartParkingBaseUrl', 'api.smartparking.com', /^smartParkingBaseUrl: not a valid URL/],
    ['smartParkingBaseUrl', 'ftp://api.smartparking.com', /^smartParkingBaseUrl: must use http or https/],
    ['smartParkingBaseUrl', 'https://api.smartparking.com/?key=1', /^smartParkingBaseUrl: a base URL has no query string/],
    ['smartParkingBaseUrl', 'https://user:key@api.smartparking.com', /^smartParkingBaseUrl: a base URL carries no credentials/],
  ])('rejects %s = %j', (key, value, message) => {
    expect(problemsOf({ ...testContext, [key]: value })).toEqual([expect.stringMatching(message)]);
  });

  it('requires https origins, web base URL and SmartParking base URL in prod', () => {
    const problems = problemsOf({
      ...prodContext,
      allowedOrigins: ['https://app.example.com', 'http://localhost:3000'],
      webBaseUrl: 'http://app.example.com',
      smartParkingBaseUrl: 'http://api.smartparking.com',
    });

    expect(problems).toEqual([
      'allowedOrigins: must use https in prod (got "http://localhost:3000")',
      'webBaseUrl: must use https in prod (got "http://app.example.com")',
      'smartParkingBaseUrl: must use https in prod (got "http://api.smartparking.com")',
    ]);
  });

  it('reports every problem at once, naming how to set context', () => {
    const error = (() => {
      try {
        parseConfig({});
      } catch (e) {
        return e as ConfigError;
      }
    })();

    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.problems.map((p) => p.split(':')[0])).toEqual([
      'stage',
      'alarmEmail',
      'senderEmail',
      'allowedOrigins',
      'webBaseUrl',
    ]);
    expect(error?.message).toMatch(/^Invalid CDK context \(set it in cdk\.json or with -c key=value\)/);
  });
});
