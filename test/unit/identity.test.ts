import { describe, expect, it } from 'vitest';
import { canActOnUser, canManageOperator, type Principal } from '../../functions/domain/identity';

const tenant: Principal = { userId: 'usr_a', role: 'tenant' };
const operator: Principal = { userId: 'usr_o', role: 'operator', operatorId: 'op_x' };
const admin: Principal = { userId: 'usr_admin', role: 'admin' };

describe('who may act on a user', () => {
  it('allows the user themself and admins only', () => {
    expect(canActOnUser(tenant, 'usr_a')).toBe(true);
    expect(canActOnUser(tenant, 'usr_b')).toBe(false);
    expect(canActOnUser(operator, 'usr_a')).toBe(false);
    expect(canActOnUser(admin, 'usr_a')).toBe(true);
  });
});

describe('who may manage an operator', () => {
  it('allows its own operators and admins only', () => {
    expect(canManageOperator(operator, 'op_x')).toBe(true);
    expect(canManageOperator(operator, 'op_y')).toBe(false);
    expect(canManageOperator(admin, 'op_y')).toBe(true);
    // A tenant carrying an operatorId (should never happen) is still not an operator.
    expect(canManageOperator({ ...tenant, operatorId: 'op_x' }, 'op_x')).toBe(false);
  });
});
