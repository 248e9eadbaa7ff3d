import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Json } from './types';

/**
 * Optional JSON file behind the in-memory state, so `npm start` keeps its Stripe data across
 * restarts. Writes are debounced and atomic (temp file + rename).
 */
export class Persistence {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly file: string,
    private readonly snapshot: () => Json,
    private readonly delayMs = 100,
  ) {}

  read(): Json | undefined {
    if (!existsSync(this.file)) return undefined;
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as Json;
    } catch (err) {
      throw new Error(`Cannot read the Stripe stand-in state file ${this.file} (${err instanceof Error ? err.message : String(err)}); fix or delete it.`, { cause: err });
    }
  }

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.delayMs);
    this.timer.unref?.();
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.snapshot()));
    renameSync(tmp, this.file);
  }
}
