import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { ENV, requireEnv } from '../environment';
import type { Mailer } from '../domain/ports';

let client: SESClient | undefined;

/** Sends through SES from the configured, verified sender address. */
export const sesMailer: Mailer = {
  async send(message) {
    client ??= new SESClient({});
    await client.send(
      new SendEmailCommand({
        Source: requireEnv(ENV.senderEmail),
        Destination: { ToAddresses: [message.to] },
        Message: {
          Subject: { Data: message.subject, Charset: 'UTF-8' },
          Body: {
            Text: { Data: message.text, Charset: 'UTF-8' },
            ...(message.html ? { Html: { Data: message.html, Charset: 'UTF-8' } } : {}),
          },
        },
      }),
    );
  },
};
