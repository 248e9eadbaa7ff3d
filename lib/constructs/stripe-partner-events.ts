import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { EventBus, Match, Rule, type IEventBus, type IRuleTarget, type RuleTargetConfig } from 'aws-cdk-lib/aws-events';
import { EventBus as EventBusTarget } from 'aws-cdk-lib/aws-events-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { STRIPE_PARTNER_SOURCE_PREFIX } from '../../functions/events';

export interface StripePartnerEventsProps {
  /** Stripe's partner event source, `aws.partner/stripe.com/<id>`; the partner bus takes its name. */
  readonly eventSourceName: string;
  /** The platform's bus, where the event rules and the archive are. */
  readonly platformBus: IEventBus;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Forwarding is side-effect free and a put to our own bus fails only when throttled, so it keeps
 * trying for as long as EventBridge allows (its own default) before an event is dead-lettered.
 */
export const FORWARD_RETRY = { maximumRetryAttempts: 185, maximumEventAge: Duration.hours(24) };

/**
 * Stripe's native EventBridge delivery: the partner event bus associated with Stripe's partner
 * event source, and one rule on it forwarding every Stripe event to the platform's bus, so the
 * same rules, consumers and archive apply as for the webhook's events. The forwarded event keeps
 * its source (`aws.partner/stripe.com/...`), detail-type and detail.
 */
export class StripePartnerEvents extends Construct {
  readonly partnerBus: EventBus;
  readonly forwardRule: Rule;
  /** Events that could not be put on the platform's bus after every retry; for an alarm. */
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: StripePartnerEventsProps) {
    super(scope, id);

    // A partner bus is named after its event source; CloudFormation fails if the source is not
    // (yet) in the account and region.
    this.partnerBus = new EventBus(this, 'PartnerBus', {
      eventSourceName: props.eventSourceName,
      description: 'Stripe events (partner event source), forwarded to the platform bus',
    });
    this.partnerBus.applyRemovalPolicy(props.removalPolicy);

    this.deadLetterQueue = new Queue(this, 'ForwardDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself the dead-letter queue of the rule forwarding Stripe's partner events " +
        'to the platform bus; a dead-letter queue for a dead-letter queue would only move the same messages again.',
    });

    this.forwardRule = new Rule(this, 'ForwardRule', {
      description: 'Every Stripe event from the partner bus, forwarded to the platform bus',
      eventBus: this.partnerBus,
      eventPattern: { source: Match.prefix(STRIPE_PARTNER_SOURCE_PREFIX) },
      targets: [new BusTargetWithRetries(props.platformBus, this.deadLetterQueue)],
    });
  }
}

/**
 * The CDK's event bus target with a retry policy: its props offer none, though a rule target
 * supports one (`RetryPolicy`) whatever its type. Its role may put events on that bus only.
 */
class BusTargetWithRetries implements IRuleTarget {
  private readonly target: EventBusTarget;

  constructor(bus: IEventBus, deadLetterQueue: Queue) {
    this.target = new EventBusTarget(bus, { deadLetterQueue });
  }

  bind(rule: Parameters<IRuleTarget['bind']>[0], id?: string): RuleTargetConfig {
    return {
      ...this.target.bind(rule, id),
      retryPolicy: {
        maximumRetryAttempts: FORWARD_RETRY.maximumRetryAttempts,
        maximumEventAgeInSeconds: FORWARD_RETRY.maximumEventAge.toSeconds(),
      },
    };
  }
}
