/**
 * Builds UpdateItem expressions from plain objects, with placeholders for every name and value
 * (so reserved words like `capacity` and `name` are never a problem).
 */
export interface UpdateParts {
  UpdateExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}

/** `SET` each defined field, `REMOVE` each listed one. */
export function updateExpression(set: Record<string, unknown>, remove: readonly string[] = []): UpdateParts {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const assignments: string[] = [];
  Object.entries(set)
    .filter(([, value]) => value !== undefined)
    .forEach(([field, value], i) => {
      names[`#s${i}`] = field;
      values[`:s${i}`] = value;
      assignments.push(`#s${i} = :s${i}`);
    });
  const removals = remove.map((field, i) => {
    names[`#r${i}`] = field;
    return `#r${i}`;
  });
  const clauses = [
    assignments.length > 0 ? `SET ${assignments.join(', ')}` : '',
    removals.length > 0 ? `REMOVE ${removals.join(', ')}` : '',
  ].filter(Boolean);
  return {
    UpdateExpression: clauses.join(' '),
    ExpressionAttributeNames: names,
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
  };
}

/** Merges extra names/values (e.g. for a condition) into update parts. */
export function withCondition(
  parts: UpdateParts,
  condition: string,
  names: Record<string, string> = {},
  values: Record<string, unknown> = {},
) {
  return {
    ...parts,
    ConditionExpression: condition,
    ExpressionAttributeNames: { ...parts.ExpressionAttributeNames, ...names },
    ExpressionAttributeValues: { ...(parts.ExpressionAttributeValues ?? {}), ...values },
  };
}

export const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/** For a cancelled transaction: which of its actions failed their condition. */
export function cancelledConditions(error: unknown): boolean[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as Error & { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.map((r) => r.Code === 'ConditionalCheckFailed');
}

/**
 * A transaction cancelled only because another one was changing the same items at that moment
 * (nothing of it was written): it can simply be tried again.
 */
export function isTransactionConflict(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return false;
  const codes = ((error as Error & { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).map((r) => r.Code);
  return codes.includes('TransactionConflict') && codes.every((c) => c === 'TransactionConflict' || c === 'None' || c === undefined);
}
