import { InvalidRequestError } from '../../domain/errors';

/** Page cursors are the last evaluated key, opaque to clients (base64url JSON). */
export const encodeCursor = (key: Record<string, unknown>) => Buffer.from(JSON.stringify(key)).toString('base64url');

export const invalidCursor = () => new InvalidRequestError('invalid_cursor', 'The page cursor is not valid. Start again from the first page.');

/**
 * A cursor back into a last evaluated key, bound to the query it continues: `bound` names the
 * value (or a test of it) each key attribute must have for this query, so a cursor from another
 * partition (another tenant's list, say), or one forged with the right names but wrong values,
 * is a 400 here instead of a DynamoDB validation error (a 500) or a peek into someone else's page.
 */
export function decodeCursor(
  cursor: string,
  expectedKeys: readonly string[],
  bound: Readonly<Record<string, string | ((value: string) => boolean)>> = {},
): Record<string, unknown> {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  const record = decoded as Record<string, unknown>;
  const valid =
    typeof decoded === 'object' &&
    decoded !== null &&
    !Array.isArray(decoded) &&
    Object.keys(record).length === expectedKeys.length &&
    expectedKeys.every((k) => typeof record[k] === 'string' && (record[k] as string).length > 0 && (record[k] as string).length <= 1024) &&
    Object.entries(bound).every(([k, rule]) => (typeof rule === 'string' ? record[k] === rule : rule(record[k] as string)));
  if (!valid) throw invalidCursor();
  return record;
}

/** DynamoDB refusing an ExclusiveStartKey (a cursor that passed the checks but matches no key shape). */
export const isStartKeyRejected = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ValidationException' && /start(ing)? key|ExclusiveStartKey/i.test(error.message);
