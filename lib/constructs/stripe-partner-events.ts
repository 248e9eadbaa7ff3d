import type { RemovalPolicy } from 'aws-cdk-lib';
import { EventBus, Match, Rule, type IEventBus } from 'aws-cdk-lib/aws-events';
import { EventBus as EventBusTarget } from 'aws-cdk-lib/aws-events-targets';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterQueueFor } from './event-target';
import { STRIPE_PARTNER_SOURCE_PREFIX } from '../../functions/events';

export interface StripePartnerEventsProps {
  /** Stripe's partner event source, `aws.partner/stripe.com/<id>`; the partner bus takes its name. */
  readonly eventSourceName: string;
  /** The platform's bus, where the event rules and the archive are. */
  readonly platformBus: IEventBus;
  readonly removalPolicy: RemovalPolicy;
}

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

    this.deadLetterQueue = deadLetterQueueFor(this, 'Forward', "the rule forwarding Stripe's partner events to the platform bus");

    this.forwardRule = new Rule(this, 'ForwardRule', {
      description: 'Every Stripe event from the partner bus, forwarded to the platform bus',
      eventBus: this.partnerBus,
      eventPattern: { source: Match.prefix(STRIPE_PARTNER_SOURCE_PREFIX) },
      // EventBridge's default retry policy (185 attempts within 24 hours) suits forwarding: it is
      // side-effect free and a put to our own bus fails only when throttled.
      targets: [new EventBusTarget(props.platformBus, { deadLetterQueue: this.deadLetterQueue })],
    });
  }
}
