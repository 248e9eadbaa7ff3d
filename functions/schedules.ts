/**
 * Scheduled jobs: read by the CDK (an EventBridge schedule and a function each) and by the
 * offline twin (the same jobs on a timer, and a command to run one now).
 */
import { REPRICING_ACCESS, WAITLIST_OFFERING_ACCESS } from './events';
import type { FunctionAccess } from './routes';

export interface ScheduledJobSpec {
  readonly id: string;
  readonly handler: string;
  /** EventBridge schedule expression. */
  readonly schedule: string;
  readonly description: string;
  readonly access: FunctionAccess;
}

export const scheduledJobs = [
  {
    id: 'ReconcileBarriers',
    handler: 'handlers/jobs/reconcile-barriers.ts',
    schedule: 'cron(15 3 * * ? *)',
    description: 'Daily at 03:15 UTC: repair drift between SmartParking whitelists and live tenancies',
    access: { table: ['Query', 'GetItem', 'PutItem'], smartParking: true },
  },
  {
    id: 'SweepTenancies',
    handler: 'handlers/jobs/sweep-tenancies.ts',
    schedule: 'rate(5 minutes)',
    description: 'Every 5 minutes: resume the setup, cancellation or plate change of any tenancy left pending, cancelling or changing plate past its deadline',
    access: { table: ['Query'], startsWorkflows: ['TenancySetup', 'TenancyCancellation', 'PlateChange'] },
  },
  {
    id: 'RepriceTenancies',
    handler: 'handlers/jobs/reprice-tenancies.ts',
    schedule: 'cron(45 2 * * ? *)',
    description: "Daily at 02:45 UTC: move any tenancy still off its car park's price onto it from its next renewal, and send any notice not sent",
    access: REPRICING_ACCESS,
  },
  {
    id: 'SweepWaitlists',
    handler: 'handlers/jobs/sweep-waitlists.ts',
    schedule: 'rate(5 minutes)',
    description: 'Every 5 minutes: lapse waitlist offers past their deadline and offer any free space to the first in line',
    access: { ...WAITLIST_OFFERING_ACCESS, sendsEmail: true },
  },
] as const satisfies readonly ScheduledJobSpec[];
