import type * as Ses from '@aws-sdk/client-ses';
import { ENV, requireEnv } from '../environment';
import type { Mailer } from '../domain/ports';

// Loaded on the first email, not at cold start: most invocations of most functions send none.
let ses: Promise<{ sdk: typeof Ses; client: Ses.SESClient }> | undefined;
const loadSes = () => (ses ??= import('@aws-sdk/client-ses').then((sdk) => ({ sdk, client: new sdk.SESClient({}) })));

/** Sends through SES from the configured, verified sender address. */
export const sesMailer: Mailer = {
  async send(message) {
    const { sdk, client } = await loadSes();
    await client.send(
      new sdk.SendEmailCommand({
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
