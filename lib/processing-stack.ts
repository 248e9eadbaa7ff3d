import { CrossStackReferences, ReferenceStrength, Stack, type StackProps } from 'aws-cdk-lib';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { FunctionResources } from './constructs/app-function';
import { EventRules } from './constructs/event-rules';
import { Monitoring } from './constructs/monitoring';
import { ScheduledJobs } from './constructs/scheduled-jobs';
import { Workflows } from './constructs/workflows';
import { appFunctionsOf } from './stateless-stack';

export interface ProcessingStackProps extends StackProps {
  readonly resources: Omit<FunctionResources, 'stateMachines'>;
  /** Where Stripe's partner event bus parks events it could not forward (stateful stack), if configured. */
  readonly partnerDeadLetterQueue?: IQueue;
}

/**
 * Everything that runs behind the API: the workflows (state machines and their task functions),
 * the scheduled jobs, and the event rules on the stateful stack's bus with their consumer
 * functions; their alarms, the stage's alarm topic and the account-level alarms (SES, business
 * metrics). Kept apart from the API stack so neither nears CloudFormation's 500 resources.
 */
export class ProcessingStack extends Stack {
  readonly workflows: Workflows;
  readonly scheduledJobs: ScheduledJobs;
  readonly eventRules: EventRules;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: ProcessingStackProps) {
    const { resources: shared, partnerDeadLetterQueue, ...stackProps } = props;
    super(scope, id, stackProps);
    // Exports/imports: CloudFormation refuses to delete the table or secrets while this stack uses them.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);

    this.workflows = new Workflows(this, 'Workflows', { resources: shared });
    const resources: FunctionResources = { ...shared, stateMachines: this.workflows.stateMachines };
    this.scheduledJobs = new ScheduledJobs(this, 'Jobs', { resources });
    this.eventRules = new EventRules(this, 'Events', { resources });

    this.monitoring = new Monitoring(this, 'Monitoring', {
      config: shared.config,
      part: 'processing',
      functions: appFunctionsOf(this),
      deadLetterQueues: [
        ...[...this.scheduledJobs.jobs].map(([jobId, job]) => ({ name: `Job${jobId}`, resource: job.deadLetterQueue })),
        ...[...this.eventRules.rules].map(([ruleId, rule]) => ({ name: `Rule${ruleId}`, resource: rule.deadLetterQueue })),
        ...(partnerDeadLetterQueue ? [{ name: 'StripePartnerForwarding', resource: partnerDeadLetterQueue }] : []),
      ],
      stateMachines: [...this.workflows.stateMachines].map(([name, resource]) => ({ name, resource })),
      accountSignals: true,
    });
  }
}
