import { describe, expect, it, vi } from 'vitest';
import { builtOnFirstUse } from '../../functions/api/built-on-first-use';
import { requestContracts } from '../../functions/api/request-contracts';

describe('builtOnFirstUse', () => {
  it('builds a property only when it is first read, and only once', () => {
    const buildA = vi.fn(() => ({ name: 'a' }));
    const buildB = vi.fn(() => ({ name: 'b' }));
    const object = builtOnFirstUse({ a: buildA, b: buildB });

    expect(buildA).not.toHaveBeenCalled();
    const first = object.a;
    expect(object.a).toBe(first);
    expect(buildA).toHaveBeenCalledTimes(1);
    expect(buildB).not.toHaveBeenCalled();
  });

  it('lists every property, as the plain object would', () => {
    const object = builtOnFirstUse({ a: () => 1, b: () => 2 });
    expect(Object.keys(object)).toEqual(['a', 'b']);
    expect({ ...object }).toEqual({ a: 1, b: 2 });
  });

  it('gives each route its own request contract, validating as before', () => {
    const contract = requestContracts.GetUser;
    expect(contract.params.safeParse({ userId: 'usr_4f1c2a9be07d3c5a6b10' }).success).toBe(true);
    expect(contract.params.safeParse({ userId: 'nope' }).success).toBe(false);
    expect(requestContracts.GetUser).toBe(contract);
  });
});
