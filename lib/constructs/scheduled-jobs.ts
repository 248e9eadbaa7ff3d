import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { scheduledJobs } from '../../functions/schedules';
import { AppFunction, type FunctionResources } from './app-function';
import { lambdaTargetWithDeadLetters } from './event-target';

export interface ScheduledJobsProps {
  readonly resources: FunctionResources;
  /** @default 5 minutes */
  readonly timeout?: Duration;
}

export interface ScheduledJob {
  readonly function: AppFunction;
  readonly rule: Rule;
  /** Where a run that could not be delivered, or failed every attempt, ends up. */
  readonly deadLetterQueue: Queue;
}

/** A late run is still useful for a few hours; after that the next scheduled run does the work. */
const MAX_EVENT_AGE = Duration.hours(3);

/**
 * The scheduled-job manifest deployed: per job, a function, an EventBridge rule with the job's
 * schedule expression targeting it, and a dead-letter queue for runs that never succeeded.
 *
 * Two stages can fail and both retry, then dead-letter into the same queue:
 * - delivery (EventBridge → Lambda, e.g. throttling): the rule target's retry policy;
 * - the run itself (the function throws or times out): EventBridge invokes asynchronously, so
 *   Lambda's own async retries apply, then the on-failure destination records the event with
 *   the error.
 */
export class ScheduledJobs extends Construct {
  /** Jobs by manifest id. */
  readonly jobs: ReadonlyMap<string, ScheduledJob>;

  constructor(scope: Construct, id: string, props: ScheduledJobsProps) {
    super(scope, id);
    const jobs = new Map<string, ScheduledJob>();

    for (const job of scheduledJobs) {
      const fn = new AppFunction(this, `${job.id}Function`, {
        handlerModule: job.handler,
        description: job.description,
        access: job.access,
        resources: props.resources,
        timeout: props.timeout ?? Duration.minutes(5),
      });

      const { target, deadLetterQueue } = lambdaTargetWithDeadLetters(this, job.id, fn, {
        maxEventAge: MAX_EVENT_AGE,
        purpose: `the ${job.id} schedule and function`,
      });

      const rule = new Rule(this, `${job.id}Schedule`, {
        description: job.description,
        schedule: Schedule.expression(job.schedule),
        targets: [target],
      });

      jobs.set(job.id, { function: fn, rule, deadLetterQueue });
    }
    this.jobs = jobs;
  }
}
