/**
 * Functions validate with zod/mini, which, unlike classic zod, sets no locale. A function bundled
 * as NodejsFunction bundles it (the bench's mirror of its esbuild settings), so without the classic
 * zod this test process loads through the OpenAPI schemas, must still explain a refused request,
 * and a refused item, in English.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../lib/paths';
import { lambdaBuildOptions } from '../bench/bundles';

let dir: string;
beforeAll(async () => {
  // Inside the repository, so the bundle finds the AWS SDK in node_modules as Lambda's runtime provides it.
  await mkdir(path.join(repoRoot, '.bench'), { recursive: true });
  dir = await mkdtemp(path.join(repoRoot, '.bench', 'messages-'));
}, 60_000);
afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

async function bundle(name: string, source: string): Promise<string> {
  const entry = path.join(dir, `${name}.ts`);
  await writeFile(entry, source);
  const outfile = path.join(dir, `${name}.mjs`);
  await build(lambdaBuildOptions(entry, outfile));
  return outfile;
}

/** Runs the bundle in a fresh Node process and returns the JSON it printed last (log lines come first). */
function run(file: string): unknown {
  const child = spawnSync(process.execPath, [file], { cwd: repoRoot, encoding: 'utf8', timeout: 30_000 });
  if (child.status !== 0) throw new Error(`${file} exited with ${child.status}: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!);
}

const fn = (relative: string) => JSON.stringify(path.join(repoRoot, 'functions', relative));

describe('validation messages in a bundled function', () => {
  it('answers a refused sign-up with English messages per field', async () => {
    const file = await bundle(
      'sign-up',
      `import { handler } from ${fn('handlers/users/create-user')};
       const body = JSON.stringify({ email: 'not-an-email', password: '', name: 'Sam', accountType: 'robot' });
       const event = { version: '2.0', rawPath: '/users', rawQueryString: '', headers: { 'content-type': 'application/json' }, body, isBase64Encoded: false,
         requestContext: { http: { method: 'POST', path: '/users', sourceIp: '127.0.0.1' }, requestId: 'r1' } };
       const result = await handler(event, { awsRequestId: 'r1', functionName: 'CreateUser', getRemainingTimeInMillis: () => 1000 });
       process.stdout.write('\\n' + JSON.stringify(result));`,
    );
    const result = run(file) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(422);
    const details = (JSON.parse(result.body) as { error: { details: { path: string; message: string }[] } }).error.details;
    const messages = Object.fromEntries(details.map((d) => [d.path, d.message]));
    expect(messages.email).toBe('Invalid email address');
    expect(messages.password).toBe('Required.');
    expect(messages.accountType).toBe('Invalid option: expected one of "individual"|"corporate"');
  });

  it('names what is wrong with a stored item in English', async () => {
    const file = await bundle(
      'item',
      `import { parseItem, CorruptItemError } from ${fn('adapters/dynamodb/entities/item')};
       import { tenancyEntity } from ${fn('adapters/dynamodb/entities/tenancies')};
       try { parseItem(tenancyEntity, { pk: 'tenancy#tn_1', sk: 'tenancy', plate: 7 }); }
       catch (error) { process.stdout.write('\\n' + JSON.stringify((error as InstanceType<typeof CorruptItemError>).fields)); }`,
    );
    const fields = run(file) as { path: string; message: string }[];
    expect(fields).toContainEqual({ path: 'plate', message: 'Invalid input: expected string, received number' });
  });
});
