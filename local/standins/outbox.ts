/** Where the SES stand-in delivers: one JSON file per message, readable by tests and the console. */
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pollUntil } from '../ports';

export interface OutboxMessage {
  readonly messageId: string;
  readonly from: string;
  readonly to: string[];
  readonly cc?: string[];
  readonly bcc?: string[];
  readonly subject: string;
  readonly text: string | null;
  readonly html: string | null;
  /** ISO 8601. */
  readonly sentAt: string;
}

export interface Outbox {
  readonly dir: string;
  save(message: OutboxMessage): Promise<void>;
  /** Every message, oldest first. */
  list(): Promise<OutboxMessage[]>;
  get(messageId: string): Promise<OutboxMessage | undefined>;
  /** Polls until a message matches; rejects after the timeout, listing what the outbox holds. */
  waitFor(predicate: (message: OutboxMessage) => boolean, timeoutMs?: number): Promise<OutboxMessage>;
}

export function createOutbox(dir: string): Outbox {
  const ready = mkdir(dir, { recursive: true });
  let saved = 0;

  async function list(): Promise<OutboxMessage[]> {
    await ready;
    const files = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
    const messages = await Promise.all(
      files.map(async (name) => JSON.parse(await readFile(path.join(dir, name), 'utf8')) as OutboxMessage),
    );
    return messages;
  }

  return {
    dir,
    list,
    async save(message) {
      await ready;
      // Named to sort in sending order (a counter breaks ties within a millisecond), and written
      // under a temporary name first so readers never see half a file.
      saved += 1;
      const file = path.join(dir, `${message.sentAt.replace(/[:.]/g, '-')}_${String(saved).padStart(6, '0')}_${message.messageId}.json`);
      await writeFile(`${file}.tmp`, `${JSON.stringify(message, null, 2)}\n`);
      await rename(`${file}.tmp`, file);
    },
    async get(messageId) {
      return (await list()).find((message) => message.messageId === messageId);
    },
    async waitFor(predicate, timeoutMs = 5000) {
      let seen: OutboxMessage[] = [];
      return pollUntil(
        async () => {
          seen = await list();
          return seen.find(predicate);
        },
        {
          timeoutMs,
          describeFailure: () =>
            `No outbox message matched within ${timeoutMs} ms. The outbox holds ${seen.length}: ` +
            JSON.stringify(seen.map(({ to, subject }) => ({ to, subject }))),
        },
      );
    },
  };
}
