/**
 * The sample events in `events/`: one per handler kind, derived from the manifests so that every
 * route, Stripe event type, workflow task and scheduled job has one, and checked against what its
 * handler accepts:
 *
 * - `events/api/<RouteId>.json`: API Gateway HTTP API (payload 2.0) events, built by the twin's
 *   own gateway code; path parameters, query and body pass the route's zod contract.
 *   `events/api/Authorizer.json` is the authorizer's request event.
 * - `events/stripe/<type>.json`: Stripe events as EventBridge delivers them to the consumers (the
 *   webhook's source, detail-type = the Stripe type); they match the rules' patterns and carry
 *   what the consumer reads.
 * - `events/tasks/<Task>.json`: a workflow task's input, as one of the Task states that call it
 *   passes it (the ASL's Parameters, resolved).
 * - `events/schedule/<JobId>.json`: the EventBridge scheduled event.
 *
 * `npm run events` writes the missing ones (`-- --all` rewrites every one); the unit test
 * `sample-events.test.ts` fails, naming the command, when one is missing, stale or refused.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Stripe from 'stripe';
import * as z from 'zod';
import { contracts, type RouteContract } from '../../functions/api/contracts';
import { ROLES } from '../../functions/domain/identity';
import { CARPARK_PRICES_CHANGED, CARPARK_SPACE_FREED, eventRules, PLATFORM_SOURCE, STRIPE_WEBHOOK_SOURCE, WAITLIST_OFFER_MADE } from '../../functions/events';
import { invoiceOf, newCardOf, type CardEvent, type InvoiceEvent } from '../../functions/handlers/consumers/stripe-event';
import { authorizer, routes } from '../../functions/routes';
import { scheduledJobs } from '../../functions/schedules';
import { taskFunctions, workflows } from '../../functions/workflows';
import { matchesPattern } from '../eventbridge/pattern';
import { buildAuthorizerEvent, buildProxyEvent, describeRequest, type ApiIdentity } from '../gateway/http-api-event';
import type { JsonObject } from '../stripe/types';
import {
  customerTemplate,
  eventTemplate,
  invoiceTemplate,
  paymentMethodTemplate,
  setupIntentTemplate,
  subscriptionTemplate,
} from '../stripe/objects/templates';

export type SampleKind = 'api' | 'stripe' | 'platform' | 'task' | 'schedule';

export interface SampleSpec {
  readonly kind: SampleKind;
  /** Relative to `events/`. */
  readonly file: string;
  /** The functions this event is for (ids as `npm run invoke` takes them). */
  readonly functionIds: readonly string[];
  /** Builds a fresh sample. */
  build(): unknown;
  /** Problems with a sample, in words; empty when its handler accepts it. */
  check(event: unknown): string[];
}

const API: ApiIdentity = { accountId: '000000000000', apiId: 'local', region: 'eu-west-2', stage: '$default' };
const RECEIVED_AT = new Date('2026-03-02T09:30:00Z');
/** Fixed far-future expiry: a sample's caller stays signed in. */
const EXPIRES_AT = 4_102_444_800;
const SAMPLE_CALLER = { userId: 'usr_4f1c2a9be07d3c5a6b10', role: 'tenant', expiresAt: EXPIRES_AT };
const STRIPE_IDS = {
  customer: 'cus_SampleCustomer01',
  invoice: 'in_SampleInvoice0001',
  subscription: 'sub_SampleSubscript01',
  paymentMethod: 'pm_SampleCardVisa001',
  setupIntent: 'seti_SampleSetupInt01',
  price: 'price_SampleCarMonthly',
};
const SAMPLE_STATE = {
  tenancyId: 'tn_1b2c3d4e5f60718293a4',
  userId: SAMPLE_CALLER.userId,
  invoiceId: STRIPE_IDS.invoice,
  customerId: STRIPE_IDS.customer,
  plate: 'AB12CDE',
  cancellationId: 'c4n5e6l7a8b9',
  error: { Error: 'BarrierUnavailable', Cause: 'SmartParking answered 503' },
  next: { attempt: 1, at: '2026-03-03T09:30:00.000Z' },
  commit: { oldPlate: 'XY34ZZZ' },
  offerId: 'of_7c2e9a41b05d3f6e8a12',
  expiresAt: '2026-03-05T09:30:00.000Z',
};

// ---------------------------------------------------------------------------------------------
// API Gateway events

/** Request bodies written by hand where an example built from the schema would not read well. */
const BODIES: Record<string, unknown> = {
  CreateUser: { email: 'sam@example.com', password: 'Parking-2026!', name: 'Sam Jones', accountType: 'individual' },
  Login: { email: 'sam@example.com', password: 'Parking-2026!' },
  ResetPassword: { token: 'c2FtcGxlLXJlc2V0LXRva2VuLWZyb20tdGhlLW91dGJveA', password: 'Parking-2027!' },
  CreateTenancy: { carparkId: 'cp_9a8b7c6d5e4f3a2b1c0d', vehicleType: 'car', plate: 'AB12 CDE' },
  UpdateBilling: { defaultPaymentMethod: 'pm_card_visa' },
  QuoteChange: { kind: 'rent', carparkId: 'cp_9a8b7c6d5e4f3a2b1c0d', vehicleType: 'car' },
  JoinWaitlist: { vehicleType: 'car', plate: 'AB12 CDE' },
  AcceptOffer: { quotedAt: '2026-03-03T09:25:00.000Z' },
  UpdateUser: { name: 'Sam Jones', phone: '+44 20 7946 0000' },
  CreateOperator: { name: 'Northgate Parking Ltd', contactEmail: 'ops@northgate.example' },
  CreateCarpark: {
    name: 'Wellington Street',
    address: { line1: '12 Wellington Street', city: 'Leeds', postcode: 'LS1 4DL', country: 'GB' },
    currency: 'gbp',
    prices: { car: 9500, motorcycle: 4500 },
    capacity: { car: 40, motorcycle: 8 },
    smartParkingSiteId: 'leeds-wellington-st',
    supportEmail: 'wellington@northgate.example',
  },
  UpdateCarpark: { prices: { car: 9900, motorcycle: 4500 } },
  ApplyToOperate: {
    companyName: 'Kirkgate Parking Ltd',
    contactName: 'Sam Jones',
    contactPhone: '+44 113 496 0000',
    carpark: {
      name: 'Kirkgate Yard',
      address: { line1: '3 Kirkgate', city: 'Leeds', postcode: 'LS2 7DJ', country: 'GB' },
      currency: 'gbp',
      prices: { car: 8500 },
      capacity: { car: 25 },
      smartParkingSiteId: 'leeds-kirkgate-yard',
      supportEmail: 'desk@kirkgate.example',
    },
  },
  RejectOperatorApplication: { reason: 'We could not verify the SmartParking site with SmartParking.' },
  UpdateTenancy: { plate: 'CD34 EFG' },
  Contact: { name: 'Sam Jones', email: 'sam@example.com', message: 'Is there a height limit for vans at Wellington Street?' },
};

function apiSample(route: (typeof routes)[number]): SampleSpec {
  const contract: RouteContract = contracts[route.id];
  const routeKey = `${route.method} ${route.path}`;
  return {
    kind: 'api',
    file: `api/${route.id}.json`,
    functionIds: [route.id],
    build() {
      const params = (contract.params ? exampleFor(contract.params) : {}) as Record<string, string>;
      const query = contract.query ? (exampleFor(contract.query) as Record<string, string>) : {};
      const body = contract.body ? (BODIES[route.id] ?? exampleFor(contract.body)) : undefined;
      const rawPath = route.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? name);
      const search = new URLSearchParams(query).toString();
      const view = describeRequest(
        {
          method: route.method,
          path: search ? `${rawPath}?${search}` : rawPath,
          headers: {
            host: '127.0.0.1:3000',
            'user-agent': 'curl/8.5.0',
            ...(route.auth === 'user' && { authorization: 'Bearer <token from POST /auth/login>' }),
            ...(body !== undefined && { 'content-type': 'application/json' }),
          },
          ...(body !== undefined && { body: JSON.stringify(body) }),
        },
        API,
        routeKey,
        'SampleRequestId=',
        RECEIVED_AT,
      );
      return stable(buildProxyEvent(view, routeKey, params, route.auth === 'user' ? SAMPLE_CALLER : undefined));
    },
    check(event) {
      const problems: string[] = [];
      const e = event as {
        routeKey?: string;
        pathParameters?: Record<string, string>;
        queryStringParameters?: Record<string, string>;
        body?: string;
        isBase64Encoded?: boolean;
        requestContext?: { authorizer?: { lambda?: { userId?: string; role?: string; expiresAt?: number } } };
      };
      if (e.routeKey !== routeKey) problems.push(`routeKey is ${JSON.stringify(e.routeKey)}, the manifest says "${routeKey}"`);
      if (contract.params) problems.push(...issues('path parameters', contract.params, e.pathParameters ?? {}));
      if (contract.query) problems.push(...issues('query string', contract.query, e.queryStringParameters ?? {}));
      if (contract.body) {
        let body: unknown;
        try {
          body = JSON.parse(e.isBase64Encoded ? Buffer.from(e.body ?? '', 'base64').toString('utf8') : (e.body ?? ''));
          problems.push(...issues('body', contract.body, body));
        } catch {
          problems.push('body is not JSON');
        }
      }
      const caller = e.requestContext?.authorizer?.lambda;
      if (route.auth === 'user') {
        if (!caller?.userId || !ROLES.includes(caller.role as (typeof ROLES)[number]) || typeof caller.expiresAt !== 'number') {
          problems.push('a user route needs requestContext.authorizer.lambda with userId, role and expiresAt');
        }
      } else if (caller) {
        problems.push('a public route gets no authorizer context');
      }
      return problems;
    },
  };
}

function authorizerSample(): SampleSpec {
  const route = routes.find((r) => r.auth === 'user');
  if (!route) throw new Error('No route uses the authorizer');
  const routeKey = `${route.method} ${route.path}`;
  return {
    kind: 'api',
    file: `api/${authorizer.id}.json`,
    functionIds: [authorizer.id],
    build() {
      const contract: RouteContract = contracts[route.id];
      const params = (contract.params ? exampleFor(contract.params) : {}) as Record<string, string>;
      const rawPath = route.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? name);
      const token = 'Bearer <token from POST /auth/login>';
      const view = describeRequest(
        { method: route.method, path: rawPath, headers: { host: '127.0.0.1:3000', authorization: token } },
        API,
        routeKey,
        'SampleRequestId=',
        RECEIVED_AT,
      );
      return stable(buildAuthorizerEvent(view, API, routeKey, params, [token]));
    },
    check(event) {
      const e = event as { type?: string; identitySource?: unknown };
      const problems: string[] = [];
      if (e.type !== 'REQUEST') problems.push('type must be "REQUEST"');
      if (!Array.isArray(e.identitySource) || e.identitySource.length === 0) problems.push('identitySource must list the bearer token');
      return problems;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Stripe events through EventBridge

const created = Math.floor(RECEIVED_AT.getTime() / 1000);
const periodEnd = created + 31 * 86_400;

function stripeObject(type: string): JsonObject {
  const invoice = (status: string, paid: boolean) =>
    invoiceTemplate({
      id: STRIPE_IDS.invoice,
      customer: STRIPE_IDS.customer,
      number: 'SAMPLE-0001',
      status,
      currency: 'gbp',
      amount_due: 9500,
      amount_paid: paid ? 9500 : 0,
      amount_remaining: paid ? 0 : 9500,
      attempt_count: 1,
      attempted: true,
      billing_reason: 'subscription_cycle',
      created,
      period_start: created,
      period_end: periodEnd,
      lines: {
        object: 'list',
        data: [{ id: 'il_SampleLine0001', object: 'line_item', amount: 9500, quantity: 1, pricing: { price_details: { price: STRIPE_IDS.price } } }],
        has_more: false,
        url: `/v1/invoices/${STRIPE_IDS.invoice}/lines`,
      },
    });
  switch (type) {
    case 'invoice.paid':
      return { object: invoice('paid', true) };
    case 'invoice.payment_failed':
      return { object: invoice('open', false) };
    case 'invoice.voided':
      return { object: invoice('void', false) };
    case 'invoice.marked_uncollectible':
      return { object: invoice('uncollectible', false) };
    case 'customer.subscription.deleted':
      return { object: subscriptionTemplate({ id: STRIPE_IDS.subscription, customer: STRIPE_IDS.customer, status: 'canceled', created }) };
    case 'payment_method.attached':
      return {
        object: paymentMethodTemplate(
          { brand: 'visa', last4: '4242', funding: 'credit', country: 'US', fingerprint: 'SampleFingerprint' },
          { id: STRIPE_IDS.paymentMethod, customer: STRIPE_IDS.customer, created },
        ),
      };
    case 'setup_intent.succeeded':
      return {
        object: setupIntentTemplate({
          id: STRIPE_IDS.setupIntent,
          customer: STRIPE_IDS.customer,
          payment_method: STRIPE_IDS.paymentMethod,
          status: 'succeeded',
          created,
        }),
      };
    case 'customer.updated':
      return {
        object: customerTemplate({
          id: STRIPE_IDS.customer,
          email: 'sam@example.com',
          created,
          invoice_settings: { custom_fields: null, default_payment_method: STRIPE_IDS.paymentMethod, footer: null, rendering_options: null },
        }),
        previous_attributes: { invoice_settings: { default_payment_method: null } },
      };
    default:
      return { object: {} };
  }
}

/** The platform's own events' rules (a car park's prices changed); the rest consume Stripe's. */
const isPlatformRule = (rule: (typeof eventRules)[number]) => (rule.pattern.source as readonly unknown[]).includes(PLATFORM_SOURCE);

/** Every Stripe event type some rule consumes, with the rules that consume it. */
export function consumedStripeTypes(): Map<string, string[]> {
  const types = new Map<string, string[]>();
  for (const rule of eventRules.filter((r) => !isPlatformRule(r))) {
    for (const type of rule.pattern['detail-type'] as readonly string[]) types.set(type, [...(types.get(type) ?? []), rule.id]);
  }
  return types;
}

function stripeSample(type: string, ruleIds: string[]): SampleSpec {
  return {
    kind: 'stripe',
    file: `stripe/${type}.json`,
    functionIds: ruleIds,
    build() {
      const detail = eventTemplate({
        id: `evt_Sample${type.replace(/[^a-z]/gi, '').slice(0, 14)}`,
        api_version: Stripe.API_VERSION,
        created,
        type,
        data: stripeObject(type),
      });
      return {
        version: '0',
        id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
        'detail-type': type,
        source: STRIPE_WEBHOOK_SOURCE,
        account: API.accountId,
        time: RECEIVED_AT.toISOString().replace('.000', ''),
        region: API.region,
        resources: [],
        detail,
      };
    },
    check(event) {
      const problems: string[] = [];
      const e = event as { 'detail-type'?: string; detail?: { type?: string } };
      for (const ruleId of ruleIds) {
        const rule = eventRules.find((r) => r.id === ruleId);
        if (rule && !matchesPattern(rule.pattern, event)) problems.push(`rule ${ruleId}'s pattern does not match it`);
      }
      if (e.detail?.type !== type) problems.push(`detail.type must be "${type}"`);
      const detail = e.detail as InvoiceEvent & CardEvent & { data?: { object?: { id?: string; customer?: unknown } } };
      if (type.startsWith('invoice.') && !invoiceOf(detail)) problems.push('the consumers find no invoice and customer in it');
      if (ruleIds.includes('CardUpdated') && !newCardOf(detail)) problems.push('CardUpdated finds no customer and new card in it');
      if (type === 'customer.subscription.deleted' && (!detail?.data?.object?.id || !detail.data.object.customer)) {
        problems.push('SubscriptionDeleted finds no subscription and customer in it');
      }
      return problems;
    },
  };
}

/** The detail each platform event carries, and the fields its consumer needs. */
const PLATFORM_DETAILS: Record<string, Record<string, string>> = {
  [CARPARK_PRICES_CHANGED]: { carparkId: 'cp_9a8b7c6d5e4f3a2b1c0d' },
  [CARPARK_SPACE_FREED]: { carparkId: 'cp_9a8b7c6d5e4f3a2b1c0d', vehicleType: 'car' },
  [WAITLIST_OFFER_MADE]: { offerId: SAMPLE_STATE.offerId, expiresAt: SAMPLE_STATE.expiresAt },
};

/** A platform event (a car park's prices changed, a space freed, an offer made), as the platform puts it on the bus. */
function platformSample(type: string): SampleSpec {
  const ruleIds = eventRules.filter((r) => isPlatformRule(r) && (r.pattern['detail-type'] as readonly string[]).includes(type)).map((r) => r.id);
  const fields = PLATFORM_DETAILS[type] ?? {};
  return {
    kind: 'platform',
    file: `platform/${type}.json`,
    functionIds: ruleIds,
    build: () => ({
      version: '0',
      id: '0d2f7c51-6a3e-4a8e-9b43-52a1f0c6d7e1',
      'detail-type': type,
      source: PLATFORM_SOURCE,
      account: API.accountId,
      time: RECEIVED_AT.toISOString().replace('.000', ''),
      region: API.region,
      resources: [],
      detail: fields,
    }),
    check(event) {
      const problems = ruleIds
        .filter((id) => !matchesPattern(eventRules.find((r) => r.id === id)!.pattern, event))
        .map((id) => `rule ${id}'s pattern does not match it`);
      const detail = (event as { detail?: Record<string, unknown> }).detail ?? {};
      for (const field of Object.keys(fields)) if (typeof detail[field] !== 'string') problems.push(`the consumer finds no ${field} in it`);
      return problems;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Workflow tasks

interface TaskCall {
  readonly workflow: string;
  readonly state: string;
  readonly parameters: Record<string, unknown>;
}

/** Every Task state of every workflow that calls this task function, with its Parameters. */
export function taskCalls(rootDir: string, taskKey: string): TaskCall[] {
  const calls: TaskCall[] = [];
  for (const workflow of workflows) {
    const asl = JSON.parse(readFileSync(path.join(rootDir, 'state-machines', workflow.definitionFile), 'utf8')) as { States: Record<string, AslState> };
    const visit = (states: Record<string, AslState>) => {
      for (const [name, state] of Object.entries(states)) {
        if (state.Type === 'Task' && state.Resource === `\${${taskKey}}`) {
          calls.push({ workflow: workflow.id, state: name, parameters: state.Parameters ?? {} });
        }
        for (const branch of state.Branches ?? []) visit(branch.States);
        if (state.Iterator) visit(state.Iterator.States);
        if (state.ItemProcessor) visit(state.ItemProcessor.States);
      }
    };
    visit(asl.States);
  }
  return calls;
}

interface AslState {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  Branches?: { States: Record<string, AslState> }[];
  Iterator?: { States: Record<string, AslState> };
  ItemProcessor?: { States: Record<string, AslState> };
}

/** Resolves a Task state's Parameters against a sample state (paths `$.a.b`, and States.Format for idempotency keys). */
function resolveParameters(parameters: Record<string, unknown>, executionName: string): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parameters)) {
    if (!key.endsWith('.$')) {
      input[key] = value;
      continue;
    }
    const expression = String(value);
    const format = /^States\.Format\('\{\}:(\w+)', \$\$\.Execution\.Name\)$/.exec(expression);
    input[key.slice(0, -2)] = format
      ? `${executionName}:${format[1]}`
      : expression
          .replace(/^\$\./, '')
          .split('.')
          .reduce<unknown>((at, part) => (at as Record<string, unknown> | undefined)?.[part], SAMPLE_STATE);
  }
  return input;
}

function taskSample(rootDir: string, taskKey: string): SampleSpec {
  const name = taskKey.replace(/FunctionArn$/, '');
  return {
    kind: 'task',
    file: `tasks/${name}.json`,
    functionIds: [name],
    build() {
      const [call] = taskCalls(rootDir, taskKey);
      if (!call) return {};
      return resolveParameters(call.parameters, `${SAMPLE_STATE.tenancyId}-${call.workflow}`);
    },
    check(event) {
      const calls = taskCalls(rootDir, taskKey);
      if (calls.length === 0) return [`no workflow calls ${taskKey}`];
      const input = event as Record<string, unknown>;
      const fits = calls.some(({ parameters }) => {
        const keys = Object.keys(parameters).map((key) => key.replace(/\.\$$/, ''));
        const sameKeys = keys.length === Object.keys(input).length && keys.every((key) => key in input);
        const constantsAgree = Object.entries(parameters).every(([key, value]) => key.endsWith('.$') || input[key] === value);
        const ids = ['tenancyId', 'invoiceId', 'userId'].every((id) => !(id in input) || typeof input[id] === 'string');
        return sameKeys && constantsAgree && ids;
      });
      return fits
        ? []
        : [`it is not the input of any Task state calling it (${calls.map((c) => `${c.workflow}.${c.state}`).join(', ')})`];
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Schedules

function scheduleSample(job: (typeof scheduledJobs)[number]): SampleSpec {
  return {
    kind: 'schedule',
    file: `schedule/${job.id}.json`,
    functionIds: [job.id],
    build() {
      return {
        version: '0',
        id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account: API.accountId,
        time: RECEIVED_AT.toISOString().replace('.000', ''),
        region: API.region,
        resources: [`arn:aws:events:${API.region}:${API.accountId}:rule/${job.id}`],
        detail: {},
      };
    },
    check(event) {
      const e = event as { source?: string; 'detail-type'?: string };
      return e.source === 'aws.events' && e['detail-type'] === 'Scheduled Event'
        ? []
        : ['a scheduled event has source "aws.events" and detail-type "Scheduled Event"'];
    },
  };
}

// ---------------------------------------------------------------------------------------------

/** Every sample the manifests call for. */
export function sampleCatalogue(rootDir: string): SampleSpec[] {
  return [
    ...routes.map((route) => apiSample(route)),
    authorizerSample(),
    ...[...consumedStripeTypes()].map(([type, ruleIds]) => stripeSample(type, ruleIds)),
    ...[...new Set(eventRules.filter(isPlatformRule).flatMap((r) => r.pattern['detail-type'] as readonly string[]))].map((type) => platformSample(type)),
    ...Object.keys(taskFunctions).map((key) => taskSample(rootDir, key)),
    ...scheduledJobs.map((job) => scheduleSample(job)),
  ];
}

/** Every function `npm run invoke` knows: id → handler module (relative to functions/) and its default sample. */
export function invocableFunctions(rootDir: string): Map<string, { handler: string; sample: string; kind: SampleKind }> {
  const samples = sampleCatalogue(rootDir);
  const sampleFor = (id: string) => samples.find((s) => s.functionIds.includes(id));
  const functions = new Map<string, { handler: string; sample: string; kind: SampleKind }>();
  const add = (id: string, handler: string) => {
    const sample = sampleFor(id);
    if (sample) functions.set(id, { handler, sample: `events/${sample.file}`, kind: sample.kind });
  };
  for (const route of routes) add(route.id, route.handler);
  add(authorizer.id, authorizer.handler);
  for (const rule of eventRules) add(rule.id, rule.target.handler);
  for (const [key, task] of Object.entries(taskFunctions)) add(key.replace(/FunctionArn$/, ''), task.handler);
  for (const job of scheduledJobs) add(job.id, job.handler);
  return functions;
}

function issues(where: string, schema: z.core.$ZodType, value: unknown): string[] {
  const result = z.safeParse(schema, value);
  return result.success ? [] : result.error.issues.map((issue) => `${where}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

/** Request ids and trace ids vary per build: fix them so regenerating is a no-op. */
function stable<T>(event: T): T {
  const e = event as { headers?: Record<string, string> };
  if (e.headers?.['x-amzn-trace-id']) e.headers['x-amzn-trace-id'] = 'Root=1-67a0c1d2-0123456789abcdef01234567';
  return event;
}

// ---------------------------------------------------------------------------------------------
// Examples from a zod schema (through its JSON Schema): the schema's own `example` metadata,
// enums, defaults and formats; every required property, no optional ones.

type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  example?: unknown;
  examples?: unknown[];
  const?: unknown;
  enum?: unknown[];
  default?: unknown;
  format?: string;
  minLength?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $defs?: Record<string, JsonSchema>;
};

export function exampleFor(schema: z.core.$ZodType): unknown {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return exampleOf(json, json.$defs ?? {});
}

function exampleOf(schema: JsonSchema, defs: Record<string, JsonSchema>): unknown {
  if (schema.$ref) return exampleOf(defs[schema.$ref.replace('#/$defs/', '')] ?? {}, defs);
  if (schema.example !== undefined) return schema.example;
  if (schema.examples?.length) return schema.examples[0];
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return exampleOf(alternatives.find((option) => option.type !== 'null') ?? {}, defs);
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((part) => exampleOf(part, defs)));
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries((schema.required ?? []).map((name) => [name, exampleOf(schema.properties?.[name] ?? {}, defs)]));
    case 'array':
      return Array.from({ length: schema.minItems ?? 1 }, () => exampleOf(schema.items ?? {}, defs));
    case 'integer':
    case 'number':
      return schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
    case 'boolean':
      return true;
    case 'string':
      return stringExample(schema);
    default:
      return null;
  }
}

function stringExample(schema: JsonSchema): string {
  switch (schema.format) {
    case 'email':
      return 'sam@example.com';
    case 'date':
      return '2026-03-02';
    case 'date-time':
      return '2026-03-02T09:30:00Z';
    case 'uuid':
      return '5b1a3c2e-8d4f-4a6b-9c7d-0e1f2a3b4c5d';
    case 'uri':
      return 'https://www.example.com/';
    default:
      return 'Sample text'.padEnd(schema.minLength ?? 0, '.');
  }
}
