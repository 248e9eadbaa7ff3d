import { Duration, Validations } from 'aws-cdk-lib';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { AppFunction } from './app-function';

/**
 * A dead-letter queue for EventBridge targets, `<id>DeadLetters` in `scope`: SSE, TLS only, 14
 * days. `purpose` names what it is the dead-letter queue of, in the cdk-nag acknowledgement.
 */
export function deadLetterQueueFor(scope: Construct, id: string, purpose: string): Queue {
  const queue = new Queue(scope, `${id}DeadLetters`, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      `This queue is itself the dead-letter queue of ${purpose}; ` +
      'a dead-letter queue for a dead-letter queue would only move the same messages again.',
  });
  return queue;
}

/**
 * An EventBridge target for a function, with one dead-letter queue for both ways an event can
 * fail: delivery (EventBridge → Lambda, e.g. throttling) is retried by the target's policy; the
 * run itself is retried by Lambda's asynchronous invocation, then recorded with its error. Shared
 * by the scheduled jobs and the event rules. The queue is created in `scope` as `<id>DeadLetters`.
 */
export function lambdaTargetWithDeadLetters(
  scope: Construct,
  id: string,
  fn: AppFunction,
  { maxEventAge, purpose }: { maxEventAge: Duration; purpose: string },
): { target: LambdaFunction; deadLetterQueue: Queue } {
  const deadLetterQueue = deadLetterQueueFor(scope, id, purpose);
  fn.configureAsyncInvoke({ retryAttempts: 2, maxEventAge, onFailure: new SqsDestination(deadLetterQueue) });
  const target = new LambdaFunction(fn, { retryAttempts: 8, maxEventAge, deadLetterQueue });
  return { target, deadLetterQueue };
}
