/**
 * Operator onboarding through the API: a tenant applies with a first car park, an admin approves
 * (operator, car park with its Stripe prices, the applicant made its operator user) or rejects;
 * emails at each step; one open application per user; decisions made once, however many are sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carparkRepository } from '../../functions/adapters/dynamodb/repositories';
import { startTestTwin, type TestTwin } from '../support/twin';
import { PASSWORD, applicationInput, applyToOperate, carparkInput, createCast, login, signUp, type Cast } from './actors';
import { addCard, rent, settle } from './tenancy-helpers';

let twin: TestTwin;
let cast: Cast;
beforeAll(async () => {
  // No authorizer cache: an approval ends the applicant's sessions at once, not within its TTL.
  twin = await startTestTwin({ authorizerCacheTtlSeconds: 0 });
  cast = await createCast(twin);
});
afterAll(() => twin?.close());

const linksIn = (text: string | null | undefined) => [...(text ?? '').matchAll(/https?:\/\/\S+/g)].map((m) => m[0].replace(/[).,]+$/, ''));

interface Application {
  applicationId: string;
  status: string;
  rejectionReason?: string;
  operatorId?: string;
  carparkId?: string;
}

const mine = async (token: string) =>
  ((await twin.request('GET', '/operator-applications/mine', { token })).json as { application: Application | null }).application;

const publicCarparkNames = async () => {
  const names: string[] = [];
  let cursor: string | undefined;
  do {
    const page = (await twin.request('GET', `/carparks?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).json as {
      items: { name: string }[];
      nextCursor?: string;
    };
    names.push(...page.items.map((c) => c.name));
    cursor = page.nextCursor;
  } while (cursor);
  return names;
};

const approve = (applicationId: string, token = cast.admin.token) =>
  twin.request('POST', `/operator-applications/${applicationId}/approve`, { token });
const reject = (applicationId: string, reason: string, token = cast.admin.token) =>
  twin.request('POST', `/operator-applications/${applicationId}/reject`, { token, body: { reason } });

describe('applying to become an operator', () => {
  it('records a pending application, emails the applicant and the admins, and lists nothing publicly yet', async () => {
    const applicant = await signUp(twin, 'apply.receipt@test.example');
    expect(await mine(applicant.token)).toBeNull();

    const application = await applyToOperate(twin, applicant, { companyName: 'Receipt Parking Ltd' }, { name: 'Receipt Yard' });
    expect(application).toMatchObject({ status: 'pending', carpark: { name: 'Receipt Yard' } });
    expect(await mine(applicant.token)).toMatchObject({ applicationId: application.applicationId, status: 'pending' });

    const receipt = await twin.outbox.waitFor((m) => m.to.includes(applicant.email) && m.subject.includes('We have your application'));
    expect(linksIn(receipt.text)).toEqual([`${twin.webBaseUrl}/become-operator`]);
    const alert = await twin.outbox.waitFor((m) => m.subject === `New operator application: Receipt Parking Ltd (${application.applicationId})`);
    expect(alert.to).toEqual([process.env.ADMIN_ALERT_EMAIL]);
    expect(linksIn(alert.text)).toEqual([`${twin.webBaseUrl}/console/applications`]);

    // The car park exists only once approved: an unapproved operator's car park is never listed.
    expect(await publicCarparkNames()).not.toContain('Receipt Yard');
  });

  it('allows one open application per user, even when two are sent at once', async () => {
    const applicant = await signUp(twin, 'apply.once@test.example');
    const sent = await Promise.all([1, 2, 3].map(() => twin.request('POST', '/operator-applications', { token: applicant.token, body: applicationInput() })));
    expect(sent.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect(sent.find((r) => r.status === 409)?.json).toMatchObject({ error: { code: 'application_pending', message: expect.stringMatching(/already have an application/) } });
  });

  it('refuses operators and admins, who run car parks already', async () => {
    for (const actor of [cast.operatorX, cast.admin]) {
      const res = await twin.request('POST', '/operator-applications', { token: actor.token, body: applicationInput() });
      expect(res.status).toBe(403);
    }
  });

  it('names each missing or wrong field, and prices without capacities', async () => {
    const applicant = await signUp(twin, 'apply.invalid@test.example');
    const missing = await twin.request('POST', '/operator-applications', { token: applicant.token, body: { companyName: '' } });
    expect(missing.status).toBe(422);
    const paths = (missing.json as { error: { details: { path: string }[] } }).error.details.map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['companyName', 'contactName', 'contactPhone', 'carpark']));

    const mismatched = await twin.request('POST', '/operator-applications', {
      token: applicant.token,
      body: applicationInput({}, { prices: { car: 10_000, van: 15_000 }, capacity: { car: 10 } }),
    });
    expect(mismatched.status).toBe(422);
    expect(mismatched.json).toMatchObject({ error: { details: [{ path: 'capacity.van' }] } });
    expect(await mine(applicant.token)).toBeNull();
  });
});

describe('the admins’ queue', () => {
  it('lists pending applications oldest first, a page at a time', async () => {
    const ids: string[] = [];
    for (const n of [1, 2, 3]) ids.push((await applyToOperate(twin, await signUp(twin, `queue.${n}@test.example`))).applicationId);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await twin.request('GET', `/operator-applications?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: cast.admin.token });
      expect(res.status).toBe(200);
      const page = res.json as { items: Application[]; nextCursor?: string };
      expect(page.items.length).toBeLessThanOrEqual(2);
      expect(page.items.every((a) => a.status === 'pending')).toBe(true);
      seen.push(...page.items.map((a) => a.applicationId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.filter((id) => ids.includes(id))).toEqual(ids);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('refuses a cursor that is not one of its own', async () => {
    const res = await twin.request('GET', '/operator-applications?cursor=bm90LWEtY3Vyc29y', { token: cast.admin.token });
    expect(res.status).toBe(400);
  });
});

describe('approving an application', () => {
  it('creates the operator and its car park with Stripe prices, makes the applicant its operator, and emails a console link', async () => {
    const applicant = await signUp(twin, 'approve.me@test.example');
    const application = await applyToOperate(twin, applicant, { companyName: 'Approved Parking Ltd' }, { name: 'Approved Yard' });

    const res = await approve(application.applicationId);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const approved = res.json as Application;
    expect(approved).toMatchObject({ status: 'approved', operatorId: expect.stringMatching(/^op_/), carparkId: expect.stringMatching(/^cp_/) });

    // The role change ends the applicant's sessions; the next login carries the operator.
    expect((await twin.request('GET', `/users/${applicant.userId}`, { token: applicant.token })).status).toBe(401);
    const token = await login(twin, applicant.email, PASSWORD);
    expect((await twin.request('GET', `/users/${applicant.userId}`, { token })).json).toMatchObject({ role: 'operator', operatorId: approved.operatorId });
    const operator = (await twin.request('GET', `/operators/${approved.operatorId}`, { token })).json as { name: string; carparks: { carparkId: string; name: string }[] };
    expect(operator).toMatchObject({ name: 'Approved Parking Ltd', carparks: [{ carparkId: approved.carparkId, name: 'Approved Yard' }] });
    expect(await publicCarparkNames()).toContain('Approved Yard');

    const carpark = await carparkRepository.get(approved.carparkId!);
    expect(carpark?.stripeProductId).toMatch(/^prod_/);
    expect(Object.keys(carpark?.stripePrices ?? {}).sort()).toEqual(['car', 'motorcycle']);

    const email = await twin.outbox.waitFor((m) => m.to.includes(applicant.email) && m.subject.startsWith('Approved'));
    expect(linksIn(email.text)).toEqual([`${twin.webBaseUrl}/console/carparks`]);
    expect(await mine(token)).toMatchObject({ status: 'approved', carparkId: approved.carparkId });
    expect((await approve(application.applicationId)).status).toBe(409);
    expect((await reject(application.applicationId, 'Too late')).status).toBe(409);
  });

  it('keeps a new operator’s own tenancies, from when it rented as a tenant, in its list', async () => {
    const applicant = await signUp(twin, 'approve.tenant@test.example');
    await addCard(twin, applicant);
    const { tenancy } = await settle(twin, applicant, (await rent(twin, applicant, cast.operatorX.carparkId, 'OP41TEN')).tenancyId);
    const application = await applyToOperate(twin, applicant, { companyName: 'Tenant Turned Ltd' }, { name: 'Turned Yard' });
    expect((await approve(application.applicationId)).status).toBe(200);

    const token = await login(twin, applicant.email, PASSWORD);
    const own = await twin.request('GET', '/tenancies', { token });
    expect(own.status, own.text).toBe(200);
    expect((own.json as { items: { tenancyId: string; status: string }[] }).items.map((t) => [t.tenancyId, t.status])).toEqual([[tenancy.tenancyId, 'active']]);
    // Another operator's car park is still not its to list.
    expect((await twin.request('GET', `/tenancies?carparkId=${cast.operatorX.carparkId}`, { token })).status).toBe(404);
  });

  it('creates one operator and sends one email when approvals are sent at once', async () => {
    const applicant = await signUp(twin, 'approve.race@test.example');
    const application = await applyToOperate(twin, applicant, { companyName: 'Race Parking Ltd' }, { name: 'Race Yard' });

    const answers = await Promise.all([1, 2, 3, 4].map(() => approve(application.applicationId)));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    expect(answers.find((r) => r.status === 409)?.json).toMatchObject({ error: { code: 'application_decided' } });

    const operators = (await twin.request('GET', '/operators?name=Race%20Parking', { token: cast.admin.token })).json as { items: unknown[] };
    expect(operators.items).toHaveLength(1);
    await twin.outbox.waitFor((m) => m.to.includes(applicant.email) && m.subject.startsWith('Approved'));
    const approvals = (await twin.outbox.list()).filter((m) => m.to.includes(applicant.email) && m.subject.startsWith('Approved'));
    expect(approvals).toHaveLength(1);
    expect((await publicCarparkNames()).filter((name) => name === 'Race Yard')).toHaveLength(1);
  });

  it('leaves the application pending when its SmartParking site belongs to another operator', async () => {
    const applicant = await signUp(twin, 'approve.site@test.example');
    const taken = carparkInput().smartParkingSiteId;
    expect((await twin.request('POST', '/carparks', { token: cast.operatorY.token, body: carparkInput({ smartParkingSiteId: taken }) })).status).toBe(201);
    const application = await applyToOperate(twin, applicant, {}, { smartParkingSiteId: taken });

    const res = await approve(application.applicationId);
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ error: { code: 'site_taken' } });
    expect(await mine(applicant.token)).toMatchObject({ status: 'pending' });
    // Still the admin's to decide.
    expect((await reject(application.applicationId, 'The SmartParking site is another operator’s.')).status).toBe(200);
  });

  it('answers 404 for an application that does not exist', async () => {
    expect((await approve('app_00000000000000000000')).status).toBe(404);
    expect((await reject('app_00000000000000000000', 'No')).status).toBe(404);
  });
});

describe('rejecting an application', () => {
  it('emails the reason, shows it to the applicant, and lets them apply again', async () => {
    const applicant = await signUp(twin, 'reject.me@test.example');
    const application = await applyToOperate(twin, applicant, { companyName: 'Rejected Parking Ltd' }, { name: 'Rejected Yard' });

    const res = await reject(application.applicationId, 'We could not verify the site with SmartParking.');
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json).toMatchObject({ status: 'rejected', rejectionReason: 'We could not verify the site with SmartParking.' });
    expect(await mine(applicant.token)).toMatchObject({ status: 'rejected', rejectionReason: 'We could not verify the site with SmartParking.' });

    const email = await twin.outbox.waitFor((m) => m.to.includes(applicant.email) && m.subject.startsWith('Your application'));
    expect(email.text).toContain('We could not verify the site with SmartParking.');
    expect(linksIn(email.text)).toEqual([`${twin.webBaseUrl}/become-operator`]);
    expect(await publicCarparkNames()).not.toContain('Rejected Yard');
    expect((await approve(application.applicationId)).status).toBe(409);

    // The user is still a tenant (their token still works) and may apply again.
    const again = await applyToOperate(twin, applicant);
    expect(await mine(applicant.token)).toMatchObject({ applicationId: again.applicationId, status: 'pending' });
  });

  it('needs a reason', async () => {
    const applicant = await signUp(twin, 'reject.reason@test.example');
    const application = await applyToOperate(twin, applicant);
    const res = await twin.request('POST', `/operator-applications/${application.applicationId}/reject`, { token: cast.admin.token, body: { reason: ' ' } });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ error: { details: [{ path: 'reason' }] } });
  });
});
