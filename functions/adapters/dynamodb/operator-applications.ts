/**
 * Operator applications in the table. The user's open application is a claim item
 * (`openApplication#<userId>`) written with the application and deleted with its decision, each
 * in one transaction: a second application while one is open fails its condition.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../domain/errors';
import type { Decision, OperatorApplication, OperatorApplicationStore } from '../../domain/operator-applications';
import { operatorApplicationEntity } from './entities/operator-applications';
import { parseItem } from './entities/item';
import { updateExpression, withCondition } from './expressions';
import { ENTITY, INDEX, applicationIndexKeys, applicationStatusIndexKeys, keys } from './keys';
import { prefixPage } from './repositories';
import { EXISTS, NOT_EXISTS, TableName, db, getItem, transact, updateIf } from './table';

export const operatorApplicationStore: OperatorApplicationStore = {
  /** 1 round trip: a transaction claiming the user's open application and putting it. */
  async create(application) {
    const result = await transact([
      {
        Put: {
          TableName: TableName(),
          Item: { ...keys.openApplication(application.userId), type: ENTITY.openApplication, applicationId: application.applicationId },
          ConditionExpression: NOT_EXISTS,
        },
      },
      {
        Put: {
          TableName: TableName(),
          Item: { ...keys.operatorApplication(application.applicationId), ...applicationIndexKeys(application), type: ENTITY.operatorApplication, ...application },
          ConditionExpression: NOT_EXISTS,
        },
      },
    ]);
    if (!result.ok) throw new ConflictError('application_pending', 'You already have an application waiting for a decision: one at a time.');
  },

  /** 1 round trip (consistent: a decision just made is seen). */
  get: (applicationId) => getItem(operatorApplicationEntity, keys.operatorApplication(applicationId), true),

  /** 1 round trip: the user's gsi1 partition, applications only, newest first, Limit 1. */
  async latestOf(userId) {
    const index = INDEX.applicationsByUser;
    const { Items = [] } = await db().send(
      new QueryCommand({
        TableName: TableName(),
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey },
        ExpressionAttributeValues: { ':pk': index.partitionValue(userId), ':prefix': index.prefix },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    return Items[0] ? parseItem(operatorApplicationEntity, Items[0]) : undefined;
  },

  /** 1 round trip: one status's gsi2 partition, oldest first, Limit the page. */
  list: ({ status, limit, cursor }) =>
    prefixPage({ ...INDEX.applicationsByStatus, partitionValue: () => INDEX.applicationsByStatus.partitionValue(status) }, operatorApplicationEntity, {
      prefix: undefined,
      limit,
      cursor,
    }),

  /** 1 round trip: a conditional update returning the application. */
  async claimApproval(applicationId, lease) {
    const updated = await updateIf({
      Key: keys.operatorApplication(applicationId),
      ...withCondition(
        updateExpression({ approvalLease: lease.id, approvalLeaseUntil: lease.until }),
        `${EXISTS} AND #status = :pending AND (attribute_not_exists(#until) OR #until <= :now)`,
        { '#status': 'status', '#until': 'approvalLeaseUntil' },
        { ':pending': 'pending', ':now': lease.now },
      ),
      ReturnValues: 'ALL_NEW',
    });
    return updated ? parseItem(operatorApplicationEntity, updated.Attributes ?? {}) : undefined;
  },

  /** 1 round trip. */
  async releaseApproval(applicationId, leaseId) {
    await updateIf({
      Key: keys.operatorApplication(applicationId),
      ...withCondition(updateExpression({}, ['approvalLease', 'approvalLeaseUntil']), '#lease = :lease', { '#lease': 'approvalLease' }, { ':lease': leaseId }),
    });
  },

  /** 2 round trips: a consistent read, then a transaction deciding the application and deleting the user’s open claim. */
  async decide(applicationId, decision, guard) {
    const current = await this.get(applicationId);
    if (!current) return undefined;
    const lease: { condition: string; names: Record<string, string>; values: Record<string, unknown> } = guard.leaseId
      ? { condition: '#lease = :lease', names: { '#lease': 'approvalLease' }, values: { ':lease': guard.leaseId } }
      : { condition: '(attribute_not_exists(#until) OR #until <= :now)', names: { '#until': 'approvalLeaseUntil' }, values: { ':now': guard.now } };
    const changes: Record<string, unknown> = { ...decision, updatedAt: decision.decidedAt, ...applicationStatusIndexKeys({ ...current, status: decision.status }) };
    const result = await transact([
      {
        Update: {
          TableName: TableName(),
          Key: keys.operatorApplication(applicationId),
          ...withCondition(
            updateExpression(changes, ['approvalLease', 'approvalLeaseUntil']),
            `${EXISTS} AND #status = :pending AND ${lease.condition}`,
            { '#status': 'status', ...lease.names },
            { ':pending': 'pending', ...lease.values },
          ),
        },
      },
      {
        Delete: {
          TableName: TableName(),
          Key: keys.openApplication(current.userId),
          ConditionExpression: 'attribute_not_exists(pk) OR applicationId = :applicationId',
          ExpressionAttributeValues: { ':applicationId': applicationId },
        },
      },
    ]);
    if (!result.ok) return undefined;
    return decided(current, decision);
  },
};

/** The application as the decision left it (what the transaction wrote). */
function decided(current: OperatorApplication, decision: Decision): OperatorApplication {
  const { approvalLease: _lease, approvalLeaseUntil: _until, ...rest } = current;
  return { ...rest, ...decision, updatedAt: decision.decidedAt };
}
