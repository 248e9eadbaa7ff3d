/**
 * Business metrics leave a function as one CloudWatch EMF line on stdout per invocation that
 * counted something. Each test loads the handlers afresh, because Powertools reads its settings
 * (POWERTOOLS_METRICS_DISABLED, the service name, the log level) when its instances are created.
 */
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WorkflowDeps } from '../../../functions/domain/tenancy-workflow';
import type { Tenancy } from '../../../functions/domain/tenancies';
import { FakeClock } from '../fakes';

const TENANCY_ID = 'tn_0123456789abcdef0123';

/** One tenancy, pending until the first activation. */
const tenancyStore = vi.hoisted(() => ({ status: 'pending' as string }));
const recordInvoicePaid = vi.hoisted(() => vi.fn());

vi.mock('../../../functions/adapters/wiring/workflow-steps', () => {
  const tenancy = () => ({ tenancyId: TENANCY_ID, status: tenancyStore.status }) as unknown as Tenancy;
  const deps: Partial<WorkflowDeps> = {
    clock: new FakeClock(),
    tenancies: {
      async get() {
        return tenancy();
      },
      async transition(_id: string, from: readonly string[], changes: Partial<Tenancy>) {
        if (!from.includes(tenancyStore.status)) return undefined;
        tenancyStore.status = changes.status ?? tenancyStore.status;
        return tenancy();
      },
    } as unknown as WorkflowDeps['tenancies'],
  };
  return { workflowDeps: deps };
});
vi.mock('../../../functions/adapters/wiring/payments', () => ({ paymentDeps: {} }));
vi.mock('../../../functions/domain/payments', () => ({ recordInvoicePaid }));

interface Emf {
  _aws: { Timestamp: number; CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  [key: string]: unknown;
}

let lines: string[];
let stderr: string[];
const emfBlobs = () => lines.map((line) => JSON.parse(line) as Emf).filter((entry) => entry._aws);
const logEntries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => !entry._aws);

beforeEach(() => {
  vi.resetModules();
  tenancyStore.status = 'pending';
  recordInvoicePaid.mockReset();
  lines = [];
  stderr = [];
  // Powertools writes through Console instances of its own, straight to the process streams.
  const capture = (into: string[]) => (chunk: string | Uint8Array) => {
    into.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture(lines));
  vi.spyOn(process.stderr, 'write').mockImplementation(capture(stderr));
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', undefined);
  vi.stubEnv('POWERTOOLS_DEV', undefined);
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', undefined);
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const context = (awsRequestId: string) =>
  ({ awsRequestId, functionName: 'test-function', getRemainingTimeInMillis: () => 10_000 }) as unknown as Context;

const activate = async () => (await import('../../../functions/handlers/tasks/activate-tenancy')).handler;

describe('a workflow task', () => {
  it('flushes the count as an EMF blob: metric name, value, unit, namespace and the service dimension alone', async () => {
    const handler = await activate();
    await expect(handler({ tenancyId: TENANCY_ID }, context('req-1'))).resolves.toEqual({ status: 'active', activated: true });

    const blobs = emfBlobs();
    expect(blobs).toHaveLength(1);
    const [blob] = blobs;
    expect(blob!._aws.CloudWatchMetrics).toEqual([
      { Namespace: 'CarparkTenancy', Dimensions: [['service']], Metrics: [{ Name: 'TenancyActivated', Unit: 'Count' }] },
    ]);
    expect(blob!.TenancyActivated).toBe(1);
    expect(blob!.service).toBe('carpark-tenancy');
    // No id travels as a dimension (or anywhere in the blob).
    expect(JSON.stringify(blob)).not.toContain(TENANCY_ID);
  });

  it('counts an activation once: a retried step finds the tenancy active, and writes nothing at all', async () => {
    const handler = await activate();
    await handler({ tenancyId: TENANCY_ID }, context('req-1'));
    await expect(handler({ tenancyId: TENANCY_ID }, context('req-2'))).resolves.toEqual({ status: 'active', activated: false });

    expect(emfBlobs().map((blob) => blob.TenancyActivated)).toEqual([1]);
    // Powertools would warn about an empty flush; the middleware skips it instead.
    expect(stderr.join('\n')).not.toMatch(/metrics/i);
    expect(lines.join('\n')).not.toMatch(/No application metrics/);
  });

  it('flushes what a step counted even when the step then throws', async () => {
    const { workflowTask } = await import('../../../functions/tasks/workflow-task');
    const { countMetric } = await import('../../../functions/observability/metrics');
    const handler = workflowTask('Failing', async (_input: { tenancyId: string }) => {
      countMetric('PlateRevoked', 2);
      throw Object.assign(new Error('barrier down'), { name: 'BarrierUnavailable' });
    });
    await expect(handler({ tenancyId: TENANCY_ID }, context('req-3'))).rejects.toThrow('barrier down');
    expect(emfBlobs().map((blob) => blob.PlateRevoked)).toEqual([2]);
  });

  it('takes the service dimension from POWERTOOLS_SERVICE_NAME when it is set', async () => {
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'carpark-tenancy-pr-42');
    await (await activate())({ tenancyId: TENANCY_ID }, context('req-4'));
    expect(emfBlobs().map((blob) => blob.service)).toEqual(['carpark-tenancy-pr-42']);
  });

  it('writes nothing with POWERTOOLS_METRICS_DISABLED, as the offline twin sets it', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    const handler = await activate();
    await handler({ tenancyId: TENANCY_ID }, context('req-5'));
    await handler({ tenancyId: TENANCY_ID }, context('req-6'));
    expect(emfBlobs()).toEqual([]);
    expect([...lines, ...stderr].join('\n')).not.toMatch(/metrics/i);
  });
});

describe('the invoice.paid consumer', () => {
  const paid = (eventId: string): EventBridgeEvent<string, unknown> =>
    ({
      id: 'eb-1',
      'detail-type': 'invoice.paid',
      source: 'carpark.stripe',
      detail: {
        id: eventId,
        type: 'invoice.paid',
        data: {
          object: { id: 'in_123', customer: 'cus_456', number: 'A-1', amount_paid: 10_000, currency: 'gbp', period_start: 0, period_end: 86_400 },
        },
      },
    }) as unknown as EventBridgeEvent<string, unknown>;

  it('counts InvoicePaid only for the delivery that sent the receipt', async () => {
    recordInvoicePaid.mockResolvedValueOnce('sent').mockResolvedValue('sent_already');
    const { handler } = await import('../../../functions/handlers/consumers/invoice-paid');
    await handler(paid('evt_1') as never, context('req-7'));
    await handler(paid('evt_1') as never, context('req-8'));

    const blobs = emfBlobs();
    expect(blobs).toHaveLength(1);
    expect(blobs[0]!._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'CarparkTenancy', Metrics: [{ Name: 'InvoicePaid', Unit: 'Count' }] });
    expect(blobs[0]!.InvoicePaid).toBe(1);
  });

  it('logs with the request id, the Stripe event id and the invoice and customer ids', async () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    recordInvoicePaid.mockResolvedValue('sent');
    const { handler } = await import('../../../functions/handlers/consumers/invoice-paid');
    await handler(paid('evt_2') as never, context('req-9'));

    expect(logEntries().find((entry) => entry.message === 'Invoice paid')).toMatchObject({
      function_request_id: 'req-9',
      stripeEventId: 'evt_2',
      invoiceId: 'in_123',
      customerId: 'cus_456',
      outcome: 'sent',
    });
  });
});
