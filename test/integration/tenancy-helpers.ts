/** Steps shared by the tenancy tests: cards, car parks, renting, waiting for workflows. */
import { expect } from 'vitest';
import type Stripe from 'stripe';
import { TenancyResponse } from '../../functions/api/schemas';
import type { Tenancy } from '../../functions/domain/tenancies';
import { tenancyRepository } from '../../functions/adapters/dynamodb/tenancy-repository';
import { pollUntil } from '../../local/ports';
import { executionArnFor } from '../../local/stepfunctions/engine';
import { stripeClientFor } from '../../local/stripe/server';
import type { TestTwin } from '../support/twin';
import { carparkInput, signUp, type Actor } from './actors';

export async function addCard(twin: TestTwin, tenant: Actor, paymentMethod = 'pm_card_visa'): Promise<void> {
  const created = await twin.request('POST', '/billing', { token: tenant.token });
  expect(created.status, created.text).toBe(200);
  const updated = await twin.request('PATCH', '/billing', { token: tenant.token, body: { defaultPaymentMethod: paymentMethod } });
  expect(updated.status, updated.text).toBe(200);
}

let sites = 0;
/** A car park with its own SmartParking site, so its whitelist is its alone. */
export async function createCarpark(twin: TestTwin, operator: Actor, overrides: Record<string, unknown> = {}) {
  const siteId = `SP-${process.pid}-${++sites}`;
  const res = await twin.request('POST', '/carparks', { token: operator.token, body: carparkInput({ smartParkingSiteId: siteId, ...overrides }) });
  expect(res.status, res.text).toBe(201);
  return { carparkId: (res.json as { carparkId: string }).carparkId, siteId };
}

export async function rent(twin: TestTwin, tenant: Actor, carparkId: string, plate: string, vehicleType = 'car') {
  const res = await twin.request('POST', '/tenancies', { token: tenant.token, body: { carparkId, vehicleType, plate } });
  expect(res.status, res.text).toBe(202);
  return (res.json as { tenancy: Tenancy }).tenancy;
}

/** Waits for a workflow of the tenancy to finish, then returns the tenancy as the API shows it. */
export async function settle(twin: TestTwin, tenant: Actor, tenancyId: string, workflow: 'setup' | 'cancel' = 'setup') {
  const workflowId = workflow === 'setup' ? 'TenancySetup' : 'TenancyCancellation';
  // Each cancellation is an execution of its own, named after the tenancy's (latest) cancellation.
  const name =
    workflow === 'setup' ? `setup-${tenancyId}` : `cancel-${tenancyId}-${(await tenancyRepository.get(tenancyId, true))?.cancellationId ?? 'none'}`;
  const execution = await twin.integrations.workflows.waitFor(executionArnFor(workflowId, name), { timeoutMs: 20_000 });
  expect(['SUCCEEDED', 'FAILED']).toContain(execution.status);
  const res = await twin.request('GET', `/tenancies/${tenancyId}`, { token: tenant.token });
  expect(res.status, res.text).toBe(200);
  return { tenancy: TenancyResponse.parse(res.json), execution };
}

export const stripeOf = (twin: TestTwin): Stripe => stripeClientFor(twin.integrations.stripe);

/** The tenancy as its tenant reads it through the API. */
export const tenancyOf = async (twin: TestTwin, tenant: Actor, tenancyId: string) =>
  TenancyResponse.parse((await twin.request('GET', `/tenancies/${tenancyId}`, { token: tenant.token })).json);

/** The customer's live subscription items as { priceId: quantity } (empty when none). */
export async function billedQuantities(twin: TestTwin, tenant: Actor): Promise<Record<string, number>> {
  const billing = await twin.request('GET', '/billing', { token: tenant.token });
  const customerId = (billing.json as { customerId: string | null }).customerId;
  if (!customerId) return {};
  const subscriptions = await stripeOf(twin).subscriptions.list({ customer: customerId, status: 'all' });
  const live = subscriptions.data.filter((s) => !['canceled', 'incomplete_expired'].includes(s.status));
  expect(live.length, 'one subscription per customer at most').toBeLessThanOrEqual(1);
  return Object.fromEntries((live[0]?.items.data ?? []).map((i) => [i.price.id, i.quantity ?? 0]));
}

export const whitelist = (twin: TestTwin, siteId: string) => twin.integrations.smartParking.whitelist(siteId).map((r) => r.plate).sort();

/**
 * A tenant whose renewal the card on file (`card`, set after the first month was paid) could not
 * pay: the tenant's test clock is moved past the renewal's draft hour, and the invoice left open
 * is under dunning (arrears recorded on the tenancy).
 */
export async function renewalLeftOpen(twin: TestTwin, operator: Actor, email: string, plate: string, card: string) {
  const tenant = await signUp(twin, email);
  await addCard(twin, tenant);
  const carpark = await createCarpark(twin, operator);
  const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, plate)).tenancyId);
  const { customerId } = (await twin.request('GET', '/billing', { token: tenant.token })).json as { customerId: string };
  const stripe = stripeOf(twin);
  const clockId = ((await stripe.customers.retrieve(customerId)) as Stripe.Customer).test_clock as string;

  expect((await twin.request('PATCH', '/billing', { token: tenant.token, body: { defaultPaymentMethod: card } })).status).toBe(200);
  const [subscription] = (await stripe.subscriptions.list({ customer: customerId })).data;
  await stripe.testHelpers.testClocks.advance(clockId, { frozen_time: subscription!.items.data[0]!.current_period_end + 3_600 + 60 });
  const invoice = await pollUntil(async () => (await stripe.invoices.list({ customer: customerId, status: 'open' })).data[0], {
    timeoutMs: 10_000,
    describeFailure: () => 'the renewal was not left open',
  });
  const arrearsOf = async () =>
    TenancyResponse.parse((await twin.request('GET', `/tenancies/${tenancy.tenancyId}`, { token: tenant.token })).json).arrears;
  await pollUntil(async () => (await arrearsOf())?.state === 'overdue', {
    timeoutMs: 15_000,
    describeFailure: () => 'the arrears were never recorded',
  });
  return { tenant, tenancy, customerId, invoiceId: invoice.id! };
}
