/** Workflow steps on in-memory ports, where a rule lives in the step itself. */
import { describe, expect, it } from 'vitest';
import type { Tenancy } from '../../functions/domain/tenancies';
import { failureReason, registerPlate, type WorkflowDeps } from '../../functions/domain/tenancy-workflow';
import { FakeClock } from './fakes';

const tenancy = (status: Tenancy['status']): Tenancy => ({
  tenancyId: 'tn_1',
  userId: 'usr_1',
  carparkId: 'cp_1',
  operatorId: 'op_1',
  vehicleType: 'car',
  plate: 'OLD1',
  pendingPlate: 'NEW1',
  status,
  startDate: '2026-11-24T09:00:00.000Z',
  priceId: 'price_1',
  monthlyAmount: 10_000,
  currency: 'gbp',
  barrier: { status: 'revoked', changedAt: '2026-11-24T09:00:00.000Z' },
  createdAt: '2026-11-24T09:00:00.000Z',
  updatedAt: '2026-11-24T09:00:00.000Z',
});

function deps(current: Tenancy) {
  const registered: string[] = [];
  const d = {
    tenancies: { get: async () => current, transition: async () => current },
    carparks: { get: async () => ({ smartParkingSiteId: 'SITE' }) },
    barrier: {
      register: async ({ plate }: { plate: string }) => {
        registered.push(plate);
        return { registeredAt: '2026-11-24T09:00:00.000Z' };
      },
    },
    clock: new FakeClock(),
  } as unknown as WorkflowDeps;
  return { d, registered };
}

describe('registering a plate change', () => {
  it.each(['active', 'cancelling'] as const)('registers the new plate of a %s tenancy (the barrier still opens for it)', async (status) => {
    const { d, registered } = deps(tenancy(status));
    await registerPlate(d, { tenancyId: 'tn_1', plate: 'NEW1' });
    expect(registered).toEqual(['NEW1']);
  });

  it.each(['suspended', 'ended'] as const)('refuses to open the barrier for the new plate of a %s tenancy', async (status) => {
    const { d, registered } = deps(tenancy(status));
    await expect(registerPlate(d, { tenancyId: 'tn_1', plate: 'NEW1' })).rejects.toThrow(`is ${status}`);
    expect(registered).toEqual([]);
  });
});

describe('why a setup failed, in the tenant\'s words', () => {
  it('tells a card that asks for authentication apart from a decline', () => {
    const cause = (message: string) => JSON.stringify({ errorType: 'PaymentDeclined', errorMessage: message });
    const auth = failureReason({ Error: 'PaymentDeclined', Cause: cause('authentication_required: This payment requires additional user action') });
    expect(auth).toMatch(/authenticate/);
    expect(auth).not.toMatch(/declined/);
    expect(failureReason({ Error: 'PaymentDeclined', Cause: cause('Your card was declined.') })).toMatch(/declined/);
  });
});

