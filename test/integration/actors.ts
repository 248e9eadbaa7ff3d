/**
 * The cast of the authorization and flow tests, created through the API itself: an admin (seeded,
 * since nobody can sign up as one), operators X and Y each running one car park, tenants A and B.
 */
import { expect } from 'vitest';
import { userRepository } from '../../functions/adapters/dynamodb/repositories';
import { newId } from '../../functions/domain/ids';
import { hashPassword } from '../../functions/domain/passwords';
import type { startTestTwin } from '../support/twin';

type Twin = Awaited<ReturnType<typeof startTestTwin>>;

export const PASSWORD = 'Test-parking-2026';

export interface Actor {
  readonly userId: string;
  readonly email: string;
  readonly token: string;
}

export interface Cast {
  readonly admin: Actor;
  readonly tenantA: Actor;
  readonly tenantB: Actor;
  readonly operatorX: Actor & { readonly operatorId: string; readonly carparkId: string };
  readonly operatorY: Actor & { readonly operatorId: string; readonly carparkId: string };
}

export async function login(twin: Twin, email: string, password = PASSWORD): Promise<string> {
  const res = await twin.request('POST', '/auth/login', { body: { email, password } });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return (res.json as { token: string }).token;
}

export async function signUp(twin: Twin, email: string, extra: Record<string, unknown> = {}): Promise<Actor> {
  const res = await twin.request('POST', '/users', {
    body: { email, password: PASSWORD, name: email.split('@')[0], accountType: 'individual', ...extra },
  });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  const userId = (res.json as { userId: string }).userId;
  return { userId, email, token: await login(twin, email) };
}

let defaultSites = 0;
/** A valid car park; each gets a SmartParking site of its own unless told otherwise (sites are owned). */
export const carparkInput = (overrides: Record<string, unknown> = {}) => ({
  name: 'Test Car Park',
  address: { line1: '1 High Street', city: 'York', postcode: 'YO1 1AA', country: 'GB' },
  currency: 'gbp',
  prices: { car: 10_000, motorcycle: 4_000 },
  capacity: { car: 10, motorcycle: 2 },
  smartParkingSiteId: `SP-TEST-${process.pid}-${++defaultSites}`,
  supportEmail: 'support@test.example',
  ...overrides,
});

/** A valid operator application, whose first car park is a valid car park of its own site. */
export const applicationInput = (overrides: Record<string, unknown> = {}, carpark: Record<string, unknown> = {}) => {
  const first = carparkInput({ name: 'Applicant Car Park', ...carpark });
  return { companyName: 'Applicant Parking Ltd', contactName: 'Alex Applicant', contactPhone: '+44 113 496 0000', carpark: first, ...overrides };
};

/** Applies as `actor`; the application as the API answered it. */
export async function applyToOperate(twin: Twin, actor: Actor, overrides: Record<string, unknown> = {}, carpark: Record<string, unknown> = {}) {
  const res = await twin.request('POST', '/operator-applications', { token: actor.token, body: applicationInput(overrides, carpark) });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json as { applicationId: string; status: string; carpark: { name: string } };
}

async function seedAdmin(email: string): Promise<void> {
  const now = new Date().toISOString();
  await userRepository.create({
    userId: newId('usr'),
    email,
    name: 'Admin',
    role: 'admin',
    accountType: 'individual',
    passwordHash: await hashPassword(PASSWORD),
    passwordChangedAt: now,
    createdAt: now,
    updatedAt: now,
  });
}

async function operator(twin: Twin, admin: Actor, email: string, company: string) {
  const created = await twin.request('POST', '/operators', { token: admin.token, body: { name: company, contactEmail: email } });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  const operatorId = (created.json as { operatorId: string }).operatorId;
  const user = await signUp(twin, email);
  const promoted = await twin.request('PATCH', `/users/${user.userId}`, {
    token: admin.token,
    body: { role: 'operator', operatorId },
  });
  expect(promoted.status, JSON.stringify(promoted.json)).toBe(200);
  // A token carries the role it was issued with: log in again as an operator.
  const token = await login(twin, email);
  const carpark = await twin.request('POST', '/carparks', { token, body: carparkInput({ name: `${company} Central` }) });
  expect(carpark.status, JSON.stringify(carpark.json)).toBe(201);
  return { ...user, token, operatorId, carparkId: (carpark.json as { carparkId: string }).carparkId };
}

export async function createCast(twin: Twin): Promise<Cast> {
  await seedAdmin('admin@test.example');
  const admin = { ...(await userRepository.findByEmail('admin@test.example'))!, token: await login(twin, 'admin@test.example') };
  const [tenantA, tenantB] = await Promise.all([signUp(twin, 'tenant.a@test.example'), signUp(twin, 'tenant.b@test.example')]);
  const operatorX = await operator(twin, admin, 'op.x@test.example', 'Xpark');
  const operatorY = await operator(twin, admin, 'op.y@test.example', 'Ypark');
  return { admin: { userId: admin.userId, email: admin.email, token: admin.token }, tenantA, tenantB, operatorX, operatorY };
}
