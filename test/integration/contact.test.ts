import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestTwin, type TestTwin } from '../support/twin';
import { createCast, type Cast } from './actors';
import { createCarpark } from './tenancy-helpers';

let twin: TestTwin;
let cast: Cast;
beforeAll(async () => {
  twin = await startTestTwin();
  cast = await createCast(twin);
});
afterAll(() => twin?.close());

const contact = (body: Record<string, unknown>, sourceIp = '198.51.100.7') =>
  twin.gateway.handle({
    method: 'POST',
    path: '/contact',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Val Visitor', email: 'val@visitor.example', message: 'Is there EV charging?', ...body }),
    sourceIp,
  });

describe('the contact form', () => {
  it('emails a car park’s support address about that car park, and the platform otherwise', async () => {
    const carpark = await createCarpark(twin, cast.operatorX, { supportEmail: 'desk@xpark.example' });
    expect((await contact({ carparkId: carpark.carparkId }, '198.51.100.1')).statusCode).toBe(202);
    const toCarpark = await twin.outbox.waitFor((m) => m.to.includes('desk@xpark.example'), 5000);
    expect(toCarpark.subject).toMatch(/^Contact form about .+: Val Visitor \(tk_[0-9a-f]{16}\)$/);
    expect(toCarpark.text).toContain('Is there EV charging?');

    expect((await contact({ message: 'General question' }, '198.51.100.2')).statusCode).toBe(202);
    const toPlatform = await twin.outbox.waitFor((m) => m.text?.includes('General question') ?? false, 5000);
    expect(toPlatform.to).toEqual([process.env.SENDER_EMAIL]);
  });

  it('answers a bot that fills the hidden field like anyone else, but sends nothing', async () => {
    const before = (await twin.outbox.list()).length;
    expect((await contact({ website: 'http://spam.example', message: 'Buy now' }, '198.51.100.3')).statusCode).toBe(202);
    expect((await twin.outbox.list()).filter((m) => m.text?.includes('Buy now'))).toHaveLength(0);
    expect((await twin.outbox.list()).length).toBe(before);
  });

  it('limits a sender to five messages an hour', async () => {
    for (let i = 0; i < 5; i++) expect((await contact({ message: `Message ${i}` }, '198.51.100.4')).statusCode).toBe(202);
    const sixth = await contact({ message: 'One more' }, '198.51.100.4');
    expect(sixth.statusCode).toBe(429);
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
    expect((await contact({ message: 'Someone else' }, '198.51.100.5')).statusCode).toBe(202);
  });

  it('answers 404 for a car park that does not exist', async () => {
    expect((await contact({ carparkId: 'cp_00000000000000000000' }, '198.51.100.6')).statusCode).toBe(404);
  });
});
