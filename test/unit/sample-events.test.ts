import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { invocableFunctions, sampleCatalogue } from '../../local/sample-events/catalogue';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EVENTS_DIR = path.join(ROOT, 'events');
const catalogue = sampleCatalogue(ROOT);

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.relative(EVENTS_DIR, path.join(dir, entry.name))],
  );

describe('events/ sample events', () => {
  it('has a sample for every manifest route, Stripe event type consumed, workflow task and scheduled job', () => {
    const missing = catalogue.filter((sample) => !existsSync(path.join(EVENTS_DIR, sample.file)));
    expect(
      missing.map((sample) => `events/${sample.file} (for ${sample.functionIds.join(', ')})`),
      'Sample events are missing: run `npm run events` to generate them, then check and commit them',
    ).toEqual([]);
  });

  it('holds no sample that no manifest entry calls for', () => {
    const expected = new Set(catalogue.map((sample) => sample.file));
    const stray = filesUnder(EVENTS_DIR).filter((file) => file.endsWith('.json') && !expected.has(file));
    expect(stray, 'These samples belong to nothing in the manifests: delete or rename them').toEqual([]);
  });

  it.each(catalogue.map((sample) => [sample.file, sample] as const))('events/%s is accepted by its handler', (file, sample) => {
    const full = path.join(EVENTS_DIR, file);
    if (!existsSync(full)) return; // reported once, above
    const problems = sample.check(JSON.parse(readFileSync(full, 'utf8')));
    expect(problems, `events/${file} would be refused: edit it, or rewrite it with \`npm run events -- --all\``).toEqual([]);
  });

  it('refuses a sample that breaks its schema, so the checks can fail', () => {
    const route = catalogue.find((sample) => sample.file === 'api/CreateTenancy.json');
    const task = catalogue.find((sample) => sample.file === 'tasks/SyncBilling.json');
    const stripe = catalogue.find((sample) => sample.file === 'stripe/invoice.paid.json');
    const event = route?.build() as { body: string };
    expect(route?.check({ ...event, body: JSON.stringify({ carparkId: 'nope' }) })).not.toEqual([]);
    expect(route?.check({ ...event, routeKey: 'POST /tenancy' })).not.toEqual([]);
    expect(task?.check({ tenancyId: 'tn_1', mode: 'sideways' })).not.toEqual([]);
    expect(stripe?.check({ ...(stripe.build() as object), source: 'someone.else' })).not.toEqual([]);
  });

  it('can invoke every function of the manifests with a sample', () => {
    const functions = invocableFunctions(ROOT);
    for (const sample of catalogue) for (const id of sample.functionIds) expect(functions.has(id), id).toBe(true);
    expect(functions.get('GetTenancy')).toMatchObject({ handler: 'handlers/tenancies/get-tenancy.ts', sample: 'events/api/GetTenancy.json' });
    expect(functions.get('InvoiceSettled')?.handler).toBe('handlers/consumers/invoice-settled.ts');
  });
});
