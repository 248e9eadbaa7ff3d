/**
 * The simulator's per-site whitelists, in memory and optionally in a JSON file so they survive
 * a restart of the twin. Each write reaches the file before the HTTP answer goes out, as it
 * would in the vendor's database.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { PlateRegistration } from '../../functions/domain/barrier';
import { registrationSchema } from '../../functions/adapters/smartparking/client';

export interface WhitelistStoreOptions {
  readonly sites?: readonly string[];
  /** Any site id exists; a site's whitelist starts on its first registration. */
  readonly autoCreateSites?: boolean;
  readonly dataFile?: string;
}


const fileSchema = z.object({ sites: z.record(z.string(), z.array(registrationSchema)) });

export class WhitelistStore {
  private readonly sites = new Map<string, Map<string, PlateRegistration>>();
  private readonly autoCreateSites: boolean;
  private readonly dataFile: string | undefined;

  constructor(options: WhitelistStoreOptions) {
    this.autoCreateSites = options.autoCreateSites ?? false;
    this.dataFile = options.dataFile;
    for (const siteId of options.sites ?? []) this.addSite(siteId);
    if (this.dataFile) this.load(this.dataFile);
  }

  hasSite(siteId: string): boolean {
    return this.autoCreateSites || this.sites.has(siteId);
  }

  addSite(siteId: string): void {
    if (!this.sites.has(siteId)) this.sites.set(siteId, new Map());
  }

  siteIds(): string[] {
    return [...this.sites.keys()].sort();
  }

  get(siteId: string, plate: string): PlateRegistration | undefined {
    return this.sites.get(siteId)?.get(plate);
  }

  /** Every registration at the site, ordered by plate (the order pages are cut in). */
  list(siteId: string): PlateRegistration[] {
    return [...(this.sites.get(siteId)?.values() ?? [])].sort((a, b) => compare(a.plate, b.plate));
  }

  /** Up to `limit` registrations after the plate `after`, and whether more follow. */
  page(siteId: string, after: string | undefined, limit: number): { plates: PlateRegistration[]; more: boolean } {
    const rest = this.list(siteId).filter((r) => after === undefined || compare(r.plate, after) > 0);
    return { plates: rest.slice(0, limit), more: rest.length > limit };
  }

  put(registration: PlateRegistration): void {
    this.addSite(registration.siteId);
    this.sites.get(registration.siteId)?.set(registration.plate, registration);
    this.save();
  }

  /** False when the plate was not there. */
  delete(siteId: string, plate: string): boolean {
    const deleted = this.sites.get(siteId)?.delete(plate) ?? false;
    if (deleted) this.save();
    return deleted;
  }

  private load(file: string): void {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    // A damaged file stops the start rather than being overwritten with an empty whitelist.
    const parsed = fileSchema.safeParse(safeJson(text));
    if (!parsed.success) throw new Error(`SmartParking simulator data file ${file} is not a valid whitelist file.`);
    for (const [siteId, registrations] of Object.entries(parsed.data.sites)) {
      this.addSite(siteId);
      for (const registration of registrations) this.sites.get(siteId)?.set(registration.plate, registration);
    }
  }

  private save(): void {
    if (!this.dataFile) return;
    const sites = Object.fromEntries(this.siteIds().map((siteId) => [siteId, this.list(siteId)]));
    mkdirSync(path.dirname(this.dataFile), { recursive: true });
    // Write then rename, so a crash mid-write leaves the previous file intact.
    const temporary = `${this.dataFile}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ sites }, null, 2)}\n`);
    renameSync(temporary, this.dataFile);
  }
}

/** Plain code-unit order, the same on every machine (localeCompare is not). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
