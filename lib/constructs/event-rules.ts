import { Duration } from 'aws-cdk-lib';
import { Rule, type EventPattern as CdkEventPattern } from 'aws-cdk-lib/aws-events';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { eventRules, type EventPattern } from '../../functions/events';
import { AppFunction, type FunctionResources } from './app-function';
import { lambdaTargetWithDeadLetters } from './event-target';

export interface EventRulesProps {
  readonly resources: FunctionResources;
  /** @default 30 seconds */
  readonly timeout?: Duration;
}

export interface DeployedEventRule {
  readonly function: AppFunction;
  readonly rule: Rule;
  /** Where an event that could not be delivered, or whose handling failed every attempt, ends up. */
  readonly deadLetterQueue: Queue;
}

/** Lambda's asynchronous invocation accepts at most 6 hours; delivery uses the same bound. */
const MAX_EVENT_AGE = Duration.hours(6);

/**
 * Turns a manifest pattern (plain EventBridge JSON) into the CDK's `EventPattern`. The CDK renders
 * its pattern back by renaming `detailType` to `detail-type` and passing every other key and value
 * through, so the template's `EventPattern` is the manifest's pattern verbatim (the infra tests
 * assert exactly that).
 */
export function toCdkEventPattern(pattern: EventPattern): CdkEventPattern {
  return Object.fromEntries(
    Object.entries(pattern).map(([key, value]) => [key === 'detail-type' ? 'detailType' : key, value]),
  ) as CdkEventPattern;
}

/**
 * The event-rule manifest deployed on the platform's bus: per rule, a consumer function with the
 * manifest's access, an EventBridge rule with the manifest's pattern targeting it, and a
 * dead-letter queue.
 *
 * As for the scheduled jobs, two stages can fail, both retry, then dead-letter into one queue:
 * - delivery (EventBridge → Lambda, e.g. throttling): the rule target's retry policy;
 * - handling (the function throws or times out): EventBridge invokes asynchronously, so Lambda's
 *   async retries apply, then the on-failure destination records the event with the error.
 * Consumers must therefore be idempotent (keyed by the Stripe event id): an event can arrive more
 * than once, and a replay from the archive delivers it again.
 */
export class EventRules extends Construct {
  /** Rules by manifest id. */
  readonly rules: ReadonlyMap<string, DeployedEventRule>;

  constructor(scope: Construct, id: string, props: EventRulesProps) {
    super(scope, id);
    const { eventBus } = props.resources;
    const rules = new Map<string, DeployedEventRule>();

    for (const spec of eventRules) {
      const fn = new AppFunction(this, `${spec.id}Function`, {
        handlerModule: spec.target.handler,
        description: spec.description,
        access: spec.target.access,
        resources: props.resources,
        timeout: props.timeout ?? Duration.seconds(30),
      });

      const { target, deadLetterQueue } = lambdaTargetWithDeadLetters(this, spec.id, fn, {
        maxEventAge: MAX_EVENT_AGE,
        purpose: `the ${spec.id} event rule and its function`,
      });

      const rule = new Rule(this, `${spec.id}Rule`, {
        description: spec.description,
        eventBus,
        eventPattern: toCdkEventPattern(spec.pattern),
        targets: [target],
      });

      rules.set(spec.id, { function: fn, rule, deadLetterQueue });
    }
    this.rules = rules;
  }
}
