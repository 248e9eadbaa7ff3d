import { describe, expect, it } from 'vitest';
import { scheduledJobs } from '../../functions/schedules';
import { arnOf, logicalIdOf, resourcesOfType, synthStacks, type Resource } from './helpers';
import { itDeliversWithDeadLetters } from './event-target-assertions';

describe('scheduled jobs', () => {
  const { processing, processingTemplate: template } = synthStacks();
  // Scheduled rules only: the event rules on the platform's bus are checked in events.test.ts.
  const rules = Object.fromEntries(
    Object.entries(resourcesOfType(template, 'AWS::Events::Rule')).filter(([, rule]) => rule.Properties.ScheduleExpression),
  );

  it('deploys one scheduled rule per manifest job, and no other', () => {
    expect(Object.keys(rules)).toHaveLength(scheduledJobs.length);
  });

  describe.each(scheduledJobs.map((job) => [job.id, job] as const))('%s', (id, job) => {
    const deployed = processing.scheduledJobs.jobs.get(id);
    if (!deployed) throw new Error(`no job ${id}`);
    const functionArn = arnOf(deployed.function);
    const queueArn = arnOf(deployed.deadLetterQueue);
    const rule = rules[logicalIdOf(deployed.rule)] as Resource;

    it('runs on the manifest schedule, targeting its function with retries and a dead-letter queue', () => {
      expect(rule.Properties).toMatchObject({
        ScheduleExpression: job.schedule,
        State: 'ENABLED',
        Description: job.description,
      });
      expect(rule.Properties.EventPattern).toBeUndefined();
      expect(rule.Properties.Targets).toEqual([
        {
          Id: expect.any(String),
          Arn: functionArn,
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 3 * 3600 },
          DeadLetterConfig: { Arn: queueArn },
        },
      ]);
    });

    itDeliversWithDeadLetters(template, deployed, { maxEventAgeSeconds: 3 * 3600 });
  });
});
