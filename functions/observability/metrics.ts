/**
 * Business metrics as CloudWatch Embedded Metric Format: a flush writes one JSON line to stdout,
 * which CloudWatch Logs turns into metrics, so functions need no PutMetricData call and no IAM
 * grant. Import this from workflow tasks and event consumers only, never from an API route: the
 * routes' bundles have a size budget (docs/performance.md).
 *
 * No ids as dimensions: every distinct dimension value is a separate, billed metric. The only
 * dimension is Powertools' `service`; ids belong in the logs.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { DEFAULT_METRICS_SERVICE, METRICS_NAMESPACE, type BusinessMetric } from './business-metrics';

// One buffer per execution environment: Lambda runs one invocation at a time in each.
const metrics = new Metrics({
  namespace: METRICS_NAMESPACE,
  serviceName: process.env.POWERTOOLS_SERVICE_NAME?.trim() || DEFAULT_METRICS_SERVICE,
});

/** Counts a business event in this invocation; the flush middleware writes it out. */
export function countMetric(name: BusinessMetric, value = 1): void {
  metrics.addMetric(name, MetricUnit.Count, value);
}

type FlushMiddleware = ReturnType<typeof logMetrics>;
type MiddlewareFn = NonNullable<FlushMiddleware['after']>;

/**
 * Writes what the invocation counted when its handler returns or throws: Powertools' `logMetrics`,
 * except that an invocation that counted nothing writes nothing. Most task invocations count
 * nothing, and Powertools would log a warning for each (even with POWERTOOLS_METRICS_DISABLED).
 */
export function flushMetrics(): FlushMiddleware {
  const powertools = logMetrics(metrics);
  const ifCounted =
    (flush: MiddlewareFn): MiddlewareFn =>
    (request) => {
      if (metrics.hasStoredMetrics()) return flush(request);
      metrics.clearDimensions();
      metrics.clearMetadata();
      return undefined;
    };
  return { before: powertools.before!, after: ifCounted(powertools.after!), onError: ifCounted(powertools.onError!) };
}
