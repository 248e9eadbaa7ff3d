import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { epochSeconds } from '../../domain/clock';
import type { ReconciliationRun } from '../../domain/reconciliation';
import { defineEntity, parseItem, sameShape, type Built, type SameShape } from './entities/item';
import { ENTITY, keys } from './keys';
import { TableName, db } from './table';
import { tableSchema } from './table-schema';

/** Runs are kept for 90 days: long enough to see a pattern in the drift. */
const KEEP_SECONDS = 90 * 24 * 60 * 60;

const runSchema = () =>
  z.object({
    runId: z.string(),
    startedAt: z.string(),
    finishedAt: z.string(),
    carparksChecked: z.number(),
    fixes: z.array(
      z.object({ carparkId: z.string(), siteId: z.string(), plate: z.string(), action: z.enum(['registered', 'revoked']), tenancyId: z.optional(z.string()) }),
    ),
    errors: z.array(z.object({ carparkId: z.string(), siteId: z.string(), message: z.string() })),
  });
sameShape<SameShape<Built<typeof runSchema>, ReconciliationRun>>();
const runEntity = defineEntity<ReconciliationRun>(ENTITY.reconciliationRun, runSchema);

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

  /** 1 round trip: the newest run (runs sort by their start). */
  async latest(): Promise<ReconciliationRun | undefined> {
    const { pk } = keys.reconciliationRun('');
    const { Items } = await db().send(
      new QueryCommand({
        TableName: TableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :run)',
        ExpressionAttributeValues: { ':pk': pk, ':run': 'run#' },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    return Items?.[0] ? parseItem(runEntity, Items[0]) : undefined;
  },
};
