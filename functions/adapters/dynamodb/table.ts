/** The few primitives every repository uses: the client, the table name, get, transact. */
import {
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type PutCommandInput,
  type TransactWriteCommandInput,
  type UpdateCommandInput,
  type UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { getDocumentClient, getTableName } from './client';
import { cancelledConditions, isConditionFailure } from './expressions';
import { fromItem, type Key } from './keys';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export const db = () => getDocumentClient();
export const TableName = () => getTableName();
export const NOT_EXISTS = 'attribute_not_exists(pk)';
export const EXISTS = 'attribute_exists(pk)';

export async function getItem<T>(key: Key, consistent = false): Promise<T | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: TableName(), Key: key, ConsistentRead: consistent }));
  return Item ? fromItem<T>(Item) : undefined;
}

/** A conditional update: its output, or undefined when the condition failed (nothing else is absorbed). */
export async function updateIf(input: Omit<UpdateCommandInput, 'TableName'>): Promise<UpdateCommandOutput | undefined> {
  try {
    return await db().send(new UpdateCommand({ TableName: TableName(), ...input }));
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/** A conditional put: false when the condition failed. */
export async function putIf(input: Omit<PutCommandInput, 'TableName'>): Promise<boolean> {
  try {
    await db().send(new PutCommand({ TableName: TableName(), ...input }));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Runs a transaction; on a failed condition returns which actions failed instead of throwing. */
export async function transact(items: TransactItem[]): Promise<{ ok: true } | { ok: false; failed: boolean[] }> {
  try {
    await db().send(new TransactWriteCommand({ TransactItems: items }));
    return { ok: true };
  } catch (error) {
    const failed = cancelledConditions(error);
    if (failed?.some(Boolean)) return { ok: false, failed };
    throw error;
  }
}

