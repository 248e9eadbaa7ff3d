import { InvalidRequestError } from '../../domain/errors';

/** Page cursors are the last evaluated key, opaque to clients (base64url JSON). */
export const encodeCursor = (key: Record<string, unknown>) => Buffer.from(JSON.stringify(key)).toString('base64url');

export function decodeCursor(cursor: string, expectedKeys: readonly string[]): Record<string, unknown> {
  const invalid = () => new InvalidRequestError('invalid_cursor', 'The page cursor is not valid. Start again from the first page.');
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const record = decoded as Record<string, unknown>;
  const valid =
    typeof decoded === 'object' &&
    decoded !== null &&
    Object.keys(record).length === expectedKeys.length &&
    expectedKeys.every((k) => typeof record[k] === 'string');
  if (!valid) throw invalid();
  return record;
}

