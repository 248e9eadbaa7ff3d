import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendEmailCommand, SendRawEmailCommand, SESClient, type SendEmailCommandInput } from '@aws-sdk/client-ses';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAwsStandins, type AwsStandins } from '../../local/aws-standins';
import { applyEnvironment, twinEnvironment } from '../../local/twin-environment';

const REGION = 'eu-west-2';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const JWT_SECRET_ID = 'carpark-tenancy/test/jwt-signing-key';

let standins: AwsStandins;
let outboxDir: string;
let ses: SESClient;
let secretsManager: SecretsManagerClient;

beforeAll(async () => {
  outboxDir = await mkdtemp(path.join(tmpdir(), 'standins-test-'));
  standins = await startAwsStandins({ port: 0, outboxDir, secrets: { [JWT_SECRET_ID]: 's3cret-value' }, region: REGION });
  ses = new SESClient({ endpoint: standins.sesEndpoint, region: REGION, credentials });
  secretsManager = new SecretsManagerClient({ endpoint: standins.secretsManagerEndpoint, region: REGION, credentials });
});

afterAll(async () => {
  ses?.destroy();
  secretsManager?.destroy();
  await standins?.close();
  await rm(outboxDir, { recursive: true, force: true });
});

afterEach(() => standins.ses.clearFaults());

let sequence = 0;
function email(overrides: Partial<SendEmailCommandInput> = {}): SendEmailCommandInput {
  sequence += 1;
  return {
    Source: 'no-reply@carpark.test',
    Destination: { ToAddresses: [`person${sequence}@example.test`], CcAddresses: ['cc@example.test'] },
    Message: {
      Subject: { Data: `Subject ${sequence} – café`, Charset: 'UTF-8' },
      Body: { Text: { Data: `Text ${sequence}` }, Html: { Data: `<p>Html ${sequence}</p>` } },
    },
    ...overrides,
  };
}

describe('the SES stand-in', () => {
  it('delivers a SendEmail from the real SES client to the outbox and answers with its MessageId', async () => {
    const input = email();

    const { MessageId } = await ses.send(new SendEmailCommand(input));
    const message = await standins.outbox.waitFor((m) => m.messageId === MessageId, 2000);

    expect(MessageId).toMatch(/^0100[0-9a-f]{12}-[0-9a-f-]{36}-000000$/);
    expect(message).toMatchObject({
      from: 'no-reply@carpark.test',
      to: input.Destination?.ToAddresses,
      cc: ['cc@example.test'],
      subject: input.Message?.Subject?.Data,
      text: input.Message?.Body?.Text?.Data,
      html: input.Message?.Body?.Html?.Data,
    });
    expect(Date.parse(message.sentAt)).toBeGreaterThan(Date.now() - 10_000);
  });

  it('reads sender, recipients, subject and both bodies out of a SendRawEmail MIME message', async () => {
    const mime = [
      'From: Carpark <no-reply@carpark.test>',
      'To: "Doe, Jane" <jane@example.test>, bob@example.test',
      'Subject: =?UTF-8?B?' + Buffer.from('Your receipt – £120').toString('base64') + '?=',
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=UTF-8',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('Paid £120.').toString('base64'),
      '--b1',
      'Content-Type: text/html; charset=UTF-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      '<p>Paid =C2=A3120 for a very long line that is soft-=',
      'wrapped.</p>',
      '--b1--',
      '',
    ].join('\r\n');

    const { MessageId } = await ses.send(new SendRawEmailCommand({ RawMessage: { Data: Buffer.from(mime) } }));
    const message = await standins.outbox.waitFor((m) => m.messageId === MessageId, 2000);

    expect(message).toMatchObject({
      from: 'Carpark <no-reply@carpark.test>',
      to: ['"Doe, Jane" <jane@example.test>', 'bob@example.test'],
      subject: 'Your receipt – £120',
      text: 'Paid £120.',
      html: '<p>Paid £120 for a very long line that is soft-wrapped.</p>',
    });
  });

  it('rejects a message without recipients the way SES does', async () => {
    const failure = await ses.send(new SendEmailCommand(email({ Destination: { ToAddresses: [] } }))).catch((error: unknown) => error);

    expect(failure).toMatchObject({ name: 'InvalidParameterValue', $metadata: { httpStatusCode: 400 } });
  });

  it('lists the outbox oldest first', async () => {
    const first = await ses.send(new SendEmailCommand(email()));
    const second = await ses.send(new SendEmailCommand(email()));

    const ids = (await standins.outbox.list()).map((message) => message.messageId);

    expect(ids.indexOf(first.MessageId ?? '')).toBeLessThan(ids.indexOf(second.MessageId ?? ''));
  });
});

describe('the SES fault switch', () => {
  it('fails the next call with the chosen SES error, then recovers', async () => {
    standins.ses.failNext(1, 'messageRejected');

    const failure = await ses.send(new SendEmailCommand(email())).catch((error: unknown) => error);
    const recovered = await ses.send(new SendEmailCommand(email()));

    expect(failure).toMatchObject({ name: 'MessageRejected', message: 'Email address is not verified.' });
    expect(recovered.MessageId).toBeDefined();
  });

  it('lets the SDK retry past fewer 503s than it has attempts, sending once', async () => {
    const client = new SESClient({ endpoint: standins.sesEndpoint, region: REGION, credentials, maxAttempts: 3 });
    const input = email();
    standins.ses.failNext(2);

    const { MessageId } = await client.send(new SendEmailCommand(input));
    const copies = (await standins.outbox.list()).filter((m) => m.subject === input.Message?.Subject?.Data);

    expect(copies.map((m) => m.messageId)).toEqual([MessageId]);
    client.destroy();
  });

  it('makes the send fail with ServiceUnavailable when every attempt fails, and delivers nothing', async () => {
    const client = new SESClient({ endpoint: standins.sesEndpoint, region: REGION, credentials, maxAttempts: 2 });
    const input = email();
    standins.ses.failNext(2, 'serviceUnavailable');

    const failure = await client.send(new SendEmailCommand(input)).catch((error: unknown) => error);
    const copies = (await standins.outbox.list()).filter((m) => m.subject === input.Message?.Subject?.Data);

    expect(failure).toMatchObject({ name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503, attempts: 2 } });
    expect(copies).toEqual([]);
    client.destroy();
  });
});

describe('the Secrets Manager stand-in', () => {
  it('returns a secret by name to the real Secrets Manager client', async () => {
    const secret = await secretsManager.send(new GetSecretValueCommand({ SecretId: JWT_SECRET_ID }));

    expect(secret).toMatchObject({ Name: JWT_SECRET_ID, SecretString: 's3cret-value', VersionStages: ['AWSCURRENT'] });
    expect(secret.ARN).toMatch(new RegExp(`^arn:aws:secretsmanager:${REGION}:\\d{12}:secret:${JWT_SECRET_ID}-\\w{6}$`));
    expect(secret.CreatedDate).toBeInstanceOf(Date);
  });

  it('returns a secret by its ARN', async () => {
    const { ARN } = await secretsManager.send(new GetSecretValueCommand({ SecretId: JWT_SECRET_ID }));

    const byArn = await secretsManager.send(new GetSecretValueCommand({ SecretId: ARN }));

    expect(byArn.SecretString).toBe('s3cret-value');
  });

  it('answers an unknown secret with ResourceNotFoundException', async () => {
    const failure = await secretsManager.send(new GetSecretValueCommand({ SecretId: 'no/such/secret' })).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ResourceNotFoundException);
    expect(failure).toMatchObject({ message: "Secrets Manager can't find the specified secret.", $metadata: { httpStatusCode: 400 } });
  });

  it('serves a secret set after start, with a new version', async () => {
    const before = await secretsManager.send(new GetSecretValueCommand({ SecretId: JWT_SECRET_ID }));
    standins.secrets.set('rotated', 'v2');
    standins.secrets.set(JWT_SECRET_ID, 'rotated-value');

    const after = await secretsManager.send(new GetSecretValueCommand({ SecretId: JWT_SECRET_ID }));

    expect(after.SecretString).toBe('rotated-value');
    expect(after.VersionId).not.toBe(before.VersionId);
    standins.secrets.set(JWT_SECRET_ID, 's3cret-value');
  });
});

describe('endpoint configuration through AWS_ENDPOINT_URL_* variables', () => {
  it('reaches both stand-ins from clients created with no endpoint, as handlers create them', async () => {
    const restore = applyEnvironment(
      twinEnvironment({
        tableName: 'unused',
        jwtSecretId: JWT_SECRET_ID,
        senderEmail: 'no-reply@carpark.test',
        webBaseUrl: 'http://127.0.0.1:3000',
        stage: 'test',
        region: REGION,
        dynamoEndpoint: 'http://127.0.0.1:1',
        sesEndpoint: standins.sesEndpoint,
        secretsManagerEndpoint: standins.secretsManagerEndpoint,
      }),
    );
    try {
      const sesFromEnvironment = new SESClient({});
      const secretsFromEnvironment = new SecretsManagerClient({});

      const { MessageId } = await sesFromEnvironment.send(new SendEmailCommand(email()));
      const secret = await secretsFromEnvironment.send(new GetSecretValueCommand({ SecretId: JWT_SECRET_ID }));

      expect(await standins.outbox.get(MessageId ?? '')).toBeDefined();
      expect(secret.SecretString).toBe('s3cret-value');
      sesFromEnvironment.destroy();
      secretsFromEnvironment.destroy();
    } finally {
      restore();
    }
  });
});

describe('the outbox console', () => {
  it('lists messages newest first on an HTML page, links each one, and serves the list as JSON', async () => {
    const message = (subject: string, Body: NonNullable<SendEmailCommandInput['Message']>['Body']) =>
      new SendEmailCommand(email({ Message: { Subject: { Data: subject }, Body } }));
    await ses.send(message('Older <b>one</b>', { Text: { Data: 'x' } }));
    const { MessageId } = await ses.send(message('Newest', { Html: { Data: '<h1>Hi</h1>' } }));

    const page = await (await fetch(`${standins.endpoint}/outbox`)).text();
    const list = (await (await fetch(`${standins.endpoint}/outbox.json`)).json()) as { messageId: string }[];
    const view = await fetch(`${standins.endpoint}/outbox/${MessageId}`);
    const body = await fetch(`${standins.endpoint}/outbox/${MessageId}/body`);

    expect(page.indexOf('Newest')).toBeLessThan(page.indexOf('Older &lt;b&gt;one&lt;/b&gt;'));
    expect(page).toContain(`href="/outbox/${MessageId}"`);
    expect(list[0]?.messageId).toBe(MessageId);
    expect(view.headers.get('content-type')).toContain('text/html');
    expect(await view.text()).toContain(`src="/outbox/${MessageId}/body"`);
    // Links in a message open outside the console's sandboxed frame.
    expect(await body.text()).toBe('<base target="_blank"><h1>Hi</h1>');
  });

  it('answers 404 for a message that does not exist', async () => {
    const response = await fetch(`${standins.endpoint}/outbox/nope`);

    expect(response.status).toBe(404);
  });
});
