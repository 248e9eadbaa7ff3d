/**
 * SES v1 as `@aws-sdk/client-ses` speaks it: the awsQuery protocol (form-encoded
 * `Action=SendEmail&...`, XML answers). Sent mail lands in the outbox; a fault switch makes the
 * next calls fail the way SES does.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { parseMail, splitAddresses } from './mime';
import type { Outbox, OutboxMessage } from './outbox';

export interface SesFault {
  readonly statusCode: number;
  readonly code: string;
  readonly message: string;
  readonly type: 'Sender' | 'Receiver';
}

/** Faults worth simulating. The SDK retries the first two (up to 3 attempts by default). */
export const SES_FAULTS = {
  serviceUnavailable: { statusCode: 503, code: 'ServiceUnavailable', message: 'Service is unavailable.', type: 'Receiver' },
  throttling: { statusCode: 400, code: 'Throttling', message: 'Maximum sending rate exceeded.', type: 'Sender' },
  messageRejected: {
    statusCode: 400,
    code: 'MessageRejected',
    message: 'Email address is not verified.',
    type: 'Sender',
  },
} as const satisfies Record<string, SesFault>;

export interface SesControls {
  /** The next `count` SES API calls (each SDK attempt is one call) fail with `fault`. */
  failNext(count: number, fault?: SesFault | keyof typeof SES_FAULTS): void;
  clearFaults(): void;
}

export interface QueryResponse {
  readonly statusCode: number;
  readonly body: string;
}

const XMLNS = 'http://ses.amazonaws.com/doc/2010-12-01/';

export function createSesStandin(outbox: Outbox): SesControls & { handle(formBody: string): Promise<QueryResponse> } {
  const faults: SesFault[] = [];

  return {
    failNext(count, fault = 'serviceUnavailable') {
      const resolved = typeof fault === 'string' ? SES_FAULTS[fault] : fault;
      faults.push(...Array.from({ length: count }, () => resolved));
    },
    clearFaults() {
      faults.length = 0;
    },
    async handle(formBody) {
      const params = new URLSearchParams(formBody);
      const action = params.get('Action') ?? '';
      const fault = faults.shift();
      if (fault) return errorResponse(fault);

      const message =
        action === 'SendEmail' ? fromSendEmail(params) : action === 'SendRawEmail' ? fromSendRawEmail(params) : undefined;
      if (!message) {
        return errorResponse({
          statusCode: 400,
          code: 'InvalidAction',
          message: `The action ${action || '(none)'} is not supported by the local SES stand-in.`,
          type: 'Sender',
        });
      }
      if (!message.from || message.to.length + (message.cc?.length ?? 0) + (message.bcc?.length ?? 0) === 0) {
        return errorResponse({
          statusCode: 400,
          code: 'InvalidParameterValue',
          message: 'A message needs a source and at least one destination.',
          type: 'Sender',
        });
      }
      await outbox.save(message);
      return {
        statusCode: 200,
        body:
          `<${action}Response xmlns="${XMLNS}"><${action}Result><MessageId>${message.messageId}</MessageId></${action}Result>` +
          `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`,
      };
    },
  };
}

function fromSendEmail(params: URLSearchParams): OutboxMessage {
  return {
    ...newMessageIdentity(),
    from: params.get('Source') ?? '',
    to: members(params, 'Destination.ToAddresses'),
    ...nonEmpty('cc', members(params, 'Destination.CcAddresses')),
    ...nonEmpty('bcc', members(params, 'Destination.BccAddresses')),
    subject: params.get('Message.Subject.Data') ?? '',
    text: params.get('Message.Body.Text.Data'),
    html: params.get('Message.Body.Html.Data'),
  };
}

function fromSendRawEmail(params: URLSearchParams): OutboxMessage {
  const mail = parseMail(Buffer.from(params.get('RawMessage.Data') ?? '', 'base64'));
  const destinations = members(params, 'Destinations');
  return {
    ...newMessageIdentity(),
    from: params.get('Source') ?? mail.headers.get('from') ?? '',
    to: destinations.length > 0 ? destinations : splitAddresses(mail.headers.get('to')),
    ...nonEmpty('cc', destinations.length > 0 ? [] : splitAddresses(mail.headers.get('cc'))),
    subject: mail.headers.get('subject') ?? '',
    text: mail.text,
    html: mail.html,
  };
}

/** awsQuery flattens lists as `Name.member.1`, `Name.member.2`, … */
function members(params: URLSearchParams, name: string): string[] {
  const values: string[] = [];
  for (let index = 1; params.has(`${name}.member.${index}`); index++) {
    values.push(params.get(`${name}.member.${index}`) ?? '');
  }
  return values;
}

/** Shaped like SES's ids: `0100018f…-uuid-000000`. */
function newMessageIdentity(): Pick<OutboxMessage, 'messageId' | 'sentAt'> {
  return { messageId: `0100${randomBytes(6).toString('hex')}-${randomUUID()}-000000`, sentAt: new Date().toISOString() };
}

function nonEmpty<K extends 'cc' | 'bcc'>(key: K, values: string[]): Partial<Record<K, string[]>> {
  return values.length > 0 ? ({ [key]: values } as Record<K, string[]>) : {};
}

function errorResponse(fault: SesFault): QueryResponse {
  return {
    statusCode: fault.statusCode,
    body:
      `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${fault.type}</Type><Code>${fault.code}</Code>` +
      `<Message>${escapeXml(fault.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  };
}

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
