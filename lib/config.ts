import type { IConstruct } from 'constructs';
import { parseRetrySchedule } from '../functions/domain/dunning';

/** Deployment settings, read from CDK context (cdk.json or `-c key=value`). */
export interface AppConfig {
  /** Lower-case name used in stack names and resource tags: `dev`, `prod`, `pr-42`. */
  readonly stage: string;
  /** `stage === 'prod'`: retain data, protect against deletion, require https. */
  readonly isProd: boolean;
  /** Receives CloudWatch alarm notifications. */
  readonly alarmEmail: string;
  /** Browser origins allowed by CORS, exactly as sent in the Origin header. */
  readonly allowedOrigins: readonly string[];
  /** Base URL of the web site, for links in emails. */
  readonly webBaseUrl: string;
  /** The From address of every email; must be a verified SES identity. */
  readonly senderEmail: string;
  /**
   * Create the SES email identity for `senderEmail` (SES mails a verification link on first
   * deploy). Set to false when the address or its domain is already verified in the account.
   */
  readonly manageSenderIdentity: boolean;
  /**
   * Base URL of the SmartParking (ANPR barrier) API, optionally with a path prefix. Optional
   * outside prod (default {@link DEFAULT_SMARTPARKING_BASE_URL}, which resolves nowhere); in prod
   * required, https, and not a placeholder host.
   */
  readonly smartParkingBaseUrl: string;
  /**
   * Stripe's partner event source (`aws.partner/stripe.com/<id>`), once Stripe's EventBridge
   * delivery is set up and the source is in the account. When set, the stateful stack creates the
   * partner event bus for it and forwards every event to the platform's bus. Optional.
   */
  readonly stripePartnerEventSource?: string;
  /**
   * Days after an unpaid invoice fell due on which the dunning workflow retries it, e.g. `1,3,5`
   * (the default when unset); suspension follows the last.
   */
  readonly dunningRetryDays?: string;
  /**
   * Stripe publishable key (`pk_live_...` / `pk_test_...`) the web app takes cards with, served by
   * `GET /config`. Not a secret. Required in prod; elsewhere, without it `GET /config` answers 503.
   */
  readonly stripePublishableKey?: string;
  /** Where browsers load Stripe.js from; Stripe's https://js.stripe.com/v3/ when unset. */
  readonly stripeJsUrl?: string;
}

/** Placeholder SmartParking URL for stages that never call the real API (`.example` is reserved). */
export const DEFAULT_SMARTPARKING_BASE_URL = 'https://api.smartparking.example';

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      'Invalid CDK context (set it in cdk.json or with -c key=value):\n' +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

const CONTEXT_KEYS = [
  'stage',
  'alarmEmail',
  'allowedOrigins',
  'webBaseUrl',
  'senderEmail',
  'manageSenderIdentity',
  'smartParkingBaseUrl',
  'stripePartnerEventSource',
  'dunningRetryDays',
  'stripePublishableKey',
  'stripeJsUrl',
] as const;

const STAGE = /^[a-z][a-z0-9-]{0,19}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** RFC 2606 / 6761 top-level names that never resolve to a real service. */
const RESERVED_HOST = /(^|\.)(example|test|invalid|localhost)$/;
/** A partner event source of Stripe, as EventBridge names it; the id is Stripe's event destination. */
const STRIPE_PARTNER_EVENT_SOURCE = /^aws\.partner\/stripe\.com\/[A-Za-z0-9._-]+$/;
const STRIPE_PUBLISHABLE_KEY = /^pk_(live|test)_[A-Za-z0-9]+$/;

/** Reads and validates the app's context; throws a ConfigError listing every problem. */
export function loadConfig(scope: IConstruct): AppConfig {
  const raw: Record<string, unknown> = {};
  for (const key of CONTEXT_KEYS) raw[key] = scope.node.tryGetContext(key);
  return parseConfig(raw);
}

export function parseConfig(raw: Readonly<Record<string, unknown>>): AppConfig {
  const problems: string[] = [];
  const fail = (key: string, message: string, value: unknown) =>
    problems.push(`${key}: ${message} (got ${JSON.stringify(value) ?? 'nothing'})`);

  const stage = raw.stage;
  if (typeof stage !== 'string' || !STAGE.test(stage)) {
    fail('stage', 'lower-case letters, digits and dashes, starting with a letter, at most 20 characters', stage);
  }
  const isProd = stage === 'prod';

  const email = (key: 'alarmEmail' | 'senderEmail'): string => {
    const value = raw[key];
    if (typeof value === 'string' && EMAIL.test(value)) return value;
    fail(key, 'an email address', value);
    return '';
  };
  const alarmEmail = email('alarmEmail');
  const senderEmail = email('senderEmail');

  // From the command line, context values arrive as strings: accept a JSON array or a comma list.
  const originsValue = raw.allowedOrigins;
  const origins = parseList(originsValue);
  if (!origins || origins.length === 0) {
    fail('allowedOrigins', 'a non-empty array of origins, e.g. ["https://app.example.com"]', originsValue);
  } else {
    for (const origin of origins) {
      const problem = checkUrl(origin, isProd, true);
      if (problem) fail('allowedOrigins', problem, origin);
    }
  }

  const webBaseUrl = raw.webBaseUrl;
  if (typeof webBaseUrl !== 'string') {
    fail('webBaseUrl', 'a URL', webBaseUrl);
  } else {
    const problem = checkUrl(webBaseUrl, isProd, false);
    if (problem) fail('webBaseUrl', problem, webBaseUrl);
  }

  const manage = raw.manageSenderIdentity;
  let manageSenderIdentity = true;
  if (manage === false || manage === 'false') manageSenderIdentity = false;
  else if (manage !== undefined && manage !== true && manage !== 'true') {
    fail('manageSenderIdentity', 'true or false', manage);
  }

  // Prod must name the real API: the placeholder default would fail every barrier call.
  const smartParkingValue = raw.smartParkingBaseUrl ?? (isProd ? undefined : DEFAULT_SMARTPARKING_BASE_URL);
  let smartParkingBaseUrl = '';
  if (typeof smartParkingValue !== 'string') {
    fail('smartParkingBaseUrl', isProd ? 'the SmartParking API base URL (required in prod)' : 'a URL', smartParkingValue);
  } else {
    const problem = checkUrl(smartParkingValue, isProd, false) ?? checkBaseUrl(smartParkingValue, isProd);
    if (problem) fail('smartParkingBaseUrl', problem, smartParkingValue);
    smartParkingBaseUrl = smartParkingValue;
  }

  // Empty means unset, so `-c stripePartnerEventSource=` can turn off a value from cdk.json.
  const partnerSource = raw.stripePartnerEventSource;
  let stripePartnerEventSource: string | undefined;
  if (typeof partnerSource === 'string' && STRIPE_PARTNER_EVENT_SOURCE.test(partnerSource)) {
    stripePartnerEventSource = partnerSource;
  } else if (partnerSource !== undefined && partnerSource !== '') {
    fail('stripePartnerEventSource', "Stripe's partner event source, aws.partner/stripe.com/<id>", partnerSource);
  }

  // From cdk.json a list of numbers, from the command line a comma list.
  const retryValue = raw.dunningRetryDays;
  let dunningRetryDays: string | undefined;
  if (retryValue !== undefined && retryValue !== '') {
    const text = Array.isArray(retryValue) ? retryValue.join(',') : String(retryValue);
    try {
      dunningRetryDays = parseRetrySchedule(text).join(',');
    } catch {
      fail('dunningRetryDays', 'increasing positive day counts, e.g. [1, 3, 5]', retryValue);
    }
  }

  const publishableKey = raw.stripePublishableKey;
  let stripePublishableKey: string | undefined;
  if (typeof publishableKey === 'string' && STRIPE_PUBLISHABLE_KEY.test(publishableKey)) {
    stripePublishableKey = publishableKey;
  } else if (isProd || (publishableKey !== undefined && publishableKey !== '')) {
    fail('stripePublishableKey', `a Stripe publishable key, pk_live_... or pk_test_...${isProd ? ' (required in prod)' : ''}`, publishableKey);
  }

  const jsUrl = raw.stripeJsUrl;
  let stripeJsUrl: string | undefined;
  if (typeof jsUrl === 'string' && jsUrl !== '') {
    const problem = checkUrl(jsUrl, isProd, false);
    if (problem) fail('stripeJsUrl', problem, jsUrl);
    else stripeJsUrl = jsUrl;
  } else if (jsUrl !== undefined && jsUrl !== '') {
    fail('stripeJsUrl', 'a URL', jsUrl);
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    stage: stage as string,
    isProd,
    alarmEmail,
    allowedOrigins: origins ?? [],
    webBaseUrl: webBaseUrl as string,
    senderEmail,
    manageSenderIdentity,
    smartParkingBaseUrl,
    ...(stripePartnerEventSource ? { stripePartnerEventSource } : {}),
    ...(dunningRetryDays ? { dunningRetryDays } : {}),
    ...(stripePublishableKey ? { stripePublishableKey } : {}),
    ...(stripeJsUrl ? { stripeJsUrl } : {}),
  };
}

function parseList(value: unknown): string[] | undefined {
  let list = value;
  if (typeof value === 'string') {
    const text = value.trim();
    try {
      list = text.startsWith('[') ? JSON.parse(text) : text.split(',').map((s) => s.trim());
    } catch {
      return undefined;
    }
  }
  if (!Array.isArray(list) || !list.every((item): item is string => typeof item === 'string')) return undefined;
  return list;
}

/** An API base URL gets paths appended: no query string, fragment or credentials. */
function checkBaseUrl(value: string, isProd: boolean): string | undefined {
  const url = new URL(value);
  if (url.search || url.hash) return 'a base URL has no query string or fragment';
  if (url.username || url.password) return 'a base URL carries no credentials (the API key is a secret)';
  // cdk.json carries the placeholder, and context from cdk.json also reaches `-c stage=prod`.
  if (isProd && RESERVED_HOST.test(url.hostname)) return 'a placeholder host (reserved TLD) cannot be used in prod';
  return undefined;
}

/** Returns what is wrong with the URL, or undefined when it is acceptable. */
function checkUrl(value: string, isProd: boolean, originOnly: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not a valid URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must use http or https';
  if (isProd && url.protocol !== 'https:') return 'must use https in prod';
  // CORS compares the Origin header byte for byte: no path, no trailing slash.
  if (originOnly && url.origin !== value) return `an origin has no path or trailing slash, e.g. ${url.origin}`;
  return undefined;
}
