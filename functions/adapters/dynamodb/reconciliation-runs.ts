import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { epochSeconds } from '../../domain/clock';
import type { ReconciliationRun } from '../../domain/reconciliation';
import { ENTITY, keys } from './keys';
import { TableName, db } from './table';
import { tableSchema } from './table-schema';

/** Runs are kept for 90 days: long enough to see a pattern in the drift. */
const KEEP_SECONDS = 90 * 24 * 60 * 60;

export const reconciliationRuns = {
  async save(run: ReconciliationRun): Promise<void> {
    await db().send(
      new PutCommand({
        TableName: TableName(),
        Item: {
          ...keys.reconciliationRun(run.startedAt),
          type: ENTITY.reconciliationRun,
          ...run,
          [tableSchema.timeToLiveAttribute]: epochSeconds(new Date(run.finishedAt)) + KEEP_SECONDS,
        },
      }),
    );
  },
};
