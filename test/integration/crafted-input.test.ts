/**
 * Crafted input answers 4xx in the one error shape, never a 500: forged page cursors on every
 * paginated route (right key names, another partition; wrong values; wrong shapes), and another
 * customer's payment method on PATCH /billing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contracts } from '../../functions/api/contracts';
import { routes } from '../../functions/routes';
import { startTestTwin, type TestTwin } from '../support/twin';
import { createCast, signUp, type Cast } from './actors';
import { addCard, createCarpark, rent, settle } from './tenancy-helpers';

let twin: TestTwin;
let cast: Cast;
beforeAll(async () => {
  twin = await startTestTwin();
  cast = await createCast(twin);
});
afterAll(() => twin?.close());

const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
const errorShaped = (res: { status: number; json: unknown; text: string }) => {
  expect(res.status, res.text).toBeGreaterThanOrEqual(400);
  expect(res.status, res.text).toBeLessThan(500);
  expect(res.json).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
};

describe('forged page cursors', () => {
  it('are refused with 400 on every paginated route, whoever asks', async () => {
    const tenant = await signUp(twin, 'cursor.victim@test.example');
    await addCard(twin, tenant);
    const carpark = await createCarpark(twin, cast.operatorX);
    const { tenancy } = await settle(twin, tenant, (await rent(twin, tenant, carpark.carparkId, 'CU11RSR')).tenancyId);

    // Keys as the service writes them, pointing into partitions the caller must not page through.
    const forged = [
      cursorOf({ pk: `tenancy#${tenancy.tenancyId}`, sk: 'tenancy', gsi1pk: `user#${tenant.userId}`, gsi1sk: `tenancy#${tenancy.createdAt}#${tenancy.tenancyId}` }),
      cursorOf({ pk: `tenancy#${tenancy.tenancyId}`, sk: 'tenancy', gsi2pk: `carpark#${carpark.carparkId}`, gsi2sk: `tenancy#${tenancy.tenancyId}` }),
      cursorOf({ pk: `carpark#${carpark.carparkId}`, sk: 'carpark', gsi1pk: 'carparks', gsi1sk: carpark.carparkId }),
      cursorOf({ pk: `carpark#${carpark.carparkId}`, sk: 'carpark', gsi1pk: 'somewhere-else', gsi1sk: carpark.carparkId }),
      cursorOf({ pk: 'user#x', sk: 'user', gsi1pk: 'carparks', gsi1sk: 'zzz' }),
      cursorOf({ pk: 'user#x', sk: 'user', gsi1pk: 'operators', gsi1sk: 'a' }),
      cursorOf({ pk: 1, sk: 'x', gsi1pk: 'carparks', gsi1sk: 'y' }),
      cursorOf(['pk', 'sk']),
      'not-a-cursor',
      // Timeline cursors: another tenancy's events; this tenancy's partition but not an event.
      cursorOf({ pk: 'tenancy#tn_someone_else', sk: 'event#2026-12-01T00:00:00.000Z#rented' }),
      cursorOf({ pk: `tenancy#${tenancy.tenancyId}`, sk: 'tenancy' }),
      // The admins' queue of pending operator applications; and an application's keys in its applicant's partition.
      cursorOf({ pk: 'operatorApplication#app_00000000000000000000', sk: 'operatorApplication', gsi2pk: 'operatorApplications#pending', gsi2sk: '2026-12-01T00:00:00.000Z#app_00000000000000000000' }),
      cursorOf({ pk: 'operatorApplication#app_00000000000000000000', sk: 'operatorApplication', gsi1pk: `user#${tenant.userId}`, gsi1sk: 'operatorApplication#2026' }),
    ];
    const paginated = routes.filter((r) => r.method === 'GET' && (contracts[r.id] as { query?: { shape?: Record<string, unknown> } }).query?.shape?.cursor);
    expect(paginated.map((r) => r.id).sort()).toEqual(['GetTenancyTimeline', 'ListCarparks', 'ListOperatorApplications', 'ListOperators', 'ListTenancies', 'ListUsers', 'SearchXeroContacts']);

    const callers = { anonymous: undefined, tenant: cast.tenantA.token, operator: cast.operatorX.token, admin: cast.admin.token };
    const queries: Record<string, string[]> = {
      ListCarparks: [''],
      ListTenancies: ['', `&carparkId=${cast.operatorX.carparkId}`, `&carparkId=${carpark.carparkId}`, `&userId=${tenant.userId}`, '&status=active'],
      // Admins only (403 to anyone else); no forged cursor fits the users' email or name index.
      ListUsers: ['', '&email=a', '&name=a'],
      // Admins only; no forged cursor fits the operators' name index.
      ListOperators: ['', '&name=a'],
      // Admins only; its cursor is Xero's page number, so none of these is one.
      SearchXeroContacts: ['', '&search=acme'],
      // Admins only; a cursor of the pending queue does not page the approved or rejected one.
      ListOperatorApplications: ['', '&status=approved', '&status=rejected'],
      // The victim's tenancy: its operator and admins see it, tenant A is told it does not exist.
      GetTenancyTimeline: [''],
    };
    let checked = 0;
    for (const route of paginated) {
      for (const [who, token] of Object.entries(callers)) {
        if (route.auth === 'user' && !token) continue;
        for (const extra of queries[route.id]!) {
          for (const cursor of forged) {
            const path = route.path.replace('{tenancyId}', tenancy.tenancyId);
            const res = await twin.request('GET', `${path}?cursor=${encodeURIComponent(cursor)}${extra}`, token ? { token } : {});
            // A cursor that happens to fit the caller's own partition may page on (200); nothing else passes.
            if (res.status === 200) {
              const ownPartition =
                (route.id === 'ListCarparks' && cursor === forged[2]) ||
                (cursor === forged[1] && extra === `&carparkId=${carpark.carparkId}` && (who === 'operator' || who === 'admin')) ||
                (cursor === forged[0] && extra === `&userId=${tenant.userId}` && who === 'admin') ||
                (route.id === 'ListOperatorApplications' && cursor === forged[11] && extra === '' && who === 'admin');
              expect(ownPartition, `${who} ${route.id}${extra} accepted a forged cursor`).toBe(true);
            } else {
              errorShaped(res);
            }
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
});

describe('PATCH /billing', () => {
  it("answers 422 for another customer's payment method, and leaves it with them", async () => {
    const owner = await signUp(twin, 'pm.owner@test.example');
    const thief = await signUp(twin, 'pm.thief@test.example');
    await addCard(twin, owner);
    const ownerBilling = (await twin.request('GET', '/billing', { token: owner.token })).json as { defaultCard?: { paymentMethodId: string } };
    const paymentMethodId = ownerBilling.defaultCard!.paymentMethodId;
    // The thief has no Stripe customer yet.

    const res = await twin.request('PATCH', '/billing', { token: thief.token, body: { defaultPaymentMethod: paymentMethodId } });
    errorShaped(res);
    expect(res.status).toBe(422);
    const after = (await twin.request('GET', '/billing', { token: owner.token })).json as { defaultCard?: { paymentMethodId: string } };
    expect(after.defaultCard?.paymentMethodId).toBe(paymentMethodId);
  });
});
