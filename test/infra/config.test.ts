import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from '../../lib/config';
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
  });

  it('reads its values from the app context', () => {
    const app = new App({ context: prodContext });

    const config = loadConfig(app);

    expect(config).toEqual({ ...prodContext, isProd: true, manageSenderIdentity: true });
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
  ])('rejects %s = %j', (key, value, message) => {
    expect(problemsOf({ ...testContext, [key]: value })).toEqual([expect.stringMatching(message)]);
  });

  it('requires https origins and web base URL in prod', () => {
    const problems = problemsOf({
      ...prodContext,
      allowedOrigins: ['https://app.example.com', 'http://localhost:3000'],
      webBaseUrl: 'http://app.example.com',
    });

    expect(problems).toEqual([
      'allowedOrigins: must use https in prod (got "http://localhost:3000")',
      'webBaseUrl: must use https in prod (got "http://app.example.com")',
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
