/**
 * Watching the table's DynamoDB client (which the twin's handlers share) while a step runs: each
 * command before it is sent (`before` may throw, to inject a fault) and its answer after.
 */
import { db } from '../../functions/adapters/dynamodb/table';

export interface CommandWatch {
  readonly before?: (command: string, input: string) => void;
  readonly after?: (command: string, output: Record<string, unknown>) => void;
}

export async function whileSending<T>(run: () => Promise<T>, watch: CommandWatch): Promise<T> {
  const name = `watch-table-commands-${Math.random()}`;
  db().middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? '?';
      watch.before?.(command, JSON.stringify((args as { input?: unknown }).input));
      const answer = await next(args);
      watch.after?.(command, answer.output as Record<string, unknown>);
      return answer;
    },
    { step: 'initialize', name },
  );
  try {
    return await run();
  } finally {
    db().middlewareStack.remove(name);
  }
}
