import { beforeEach, describe, expect, it } from 'vitest';
import type { Carpark } from '../../functions/domain/carparks';
import { ConflictError, ForbiddenError, TooManyRequestsError, ValidationError } from '../../functions/domain/errors';
import {
  APPLICATION_LIMIT,
  APPROVAL_LEASE_MS,
  applyToOperate,
  approvalIds,
  approveApplication,
  rejectApplication,
  type ApplyInput,
  type ApproveDeps,
  type OperatorApplication,
  type OperatorApplicationStore,
} from '../../functions/domain/operator-applications';
import type { Operator } from '../../functions/domain/operators';
import type { User } from '../../functions/domain/users';
import { FakeClock, fakeLimiter, fakeMailer, fakeUsers } from './fakes';

/** Applications in memory, with the store's conditions: one open per user, decisions only while pending. */
function fakeApplications(clock: FakeClock): OperatorApplicationStore & { all: Map<string, OperatorApplication> } {
  const all = new Map<string, OperatorApplication>();
  const open = new Map<string, string>();
  const leaseLive = (a: OperatorApplication) => a.approvalLeaseUntil !== undefined && a.approvalLeaseUntil > clock.now().toISOString();
  return {
    all,
    async create(a) {
      if (open.has(a.userId)) throw new ConflictError('application_pending', 'open');
      open.set(a.userId, a.applicationId);
      all.set(a.applicationId, a);
    },
    get: async (id) => all.get(id),
    latestOf: async (userId) => [...all.values()].filter((a) => a.userId === userId).at(-1),
    list: async ({ status }) => ({ items: [...all.values()].filter((a) => a.status === status) }),
    async claimApproval(id, lease) {
      const a = all.get(id);
      if (!a || a.status !== 'pending' || leaseLive(a)) return undefined;
      const claimed = { ...a, approvalLease: lease.id, approvalLeaseUntil: lease.until };
      all.set(id, claimed);
      return claimed;
    },
    async releaseApproval(id, leaseId) {
      const a = all.get(id);
      if (a?.approvalLease === leaseId) {
        const { approvalLease: _l, approvalLeaseUntil: _u, ...rest } = a;
        all.set(id, rest);
      }
    },
    async decide(id, decision, guard) {
      const a = all.get(id);
      if (!a || a.status !== 'pending') return undefined;
      if (guard.leaseId ? a.approvalLease !== guard.leaseId : leaseLive(a)) return undefined;
      const { approvalLease: _l, approvalLeaseUntil: _u, ...rest } = a;
      const decided = { ...rest, ...decision, updatedAt: decision.decidedAt };
      all.set(id, decided);
      open.delete(a.userId);
      return decided;
    },
  };
}

const input: ApplyInput = {
  companyName: 'Kirkgate Parking Ltd',
  contactName: 'Sam Jones',
  contactPhone: '+44 113 496 0000',
  carpark: {
    name: 'Kirkgate Yard',
    address: { line1: '3 Kirkgate', city: 'Leeds', postcode: 'LS2 7DJ', country: 'GB' },
    currency: 'gbp',
    prices: { car: 8500 },
    capacity: { car: 25 },
    smartParkingSiteId: 'leeds-kirkgate',
    supportEmail: 'Desk@Kirkgate.example',
  },
};

const tenant: User = {
  userId: 'usr_00000000000000000001',
  email: 'sam@kirkgate.example',
  name: 'Sam',
  role: 'tenant',
  accountType: 'corporate',
  passwordHash: 'x',
  passwordChangedAt: '2026-01-01T00:00:00.000Z',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
const caller = { userId: tenant.userId, role: 'tenant' as const };
const admin = { userId: 'usr_0000000000000000000a', role: 'admin' as const };

let clock: FakeClock;
let deps: ApproveDeps & {
  applications: ReturnType<typeof fakeApplications>;
  users: ReturnType<typeof fakeUsers>;
  mailer: ReturnType<typeof fakeMailer>;
};
let operators: Map<string, Operator>;
let carparks: Map<string, Carpark>;
let stripeKeys: string[];
let failCarparkWrites: number;
const applyDeps = () => ({ ...deps, limits: fakeLimiter(), adminAlertEmail: 'alerts@platform.example' });

beforeEach(() => {
  clock = new FakeClock();
  operators = new Map();
  carparks = new Map();
  stripeKeys = [];
  failCarparkWrites = 0;
  const users = fakeUsers();
  users.all.set(tenant.userId, tenant);
  deps = {
    applications: fakeApplications(clock),
    users,
    mailer: fakeMailer(),
    clock,
    pageUrl: (path) => `https://parking.example/${path}`,
    operators: {
      create: async (o) => void operators.set(o.operatorId, o),
      get: async (id) => operators.get(id),
      search: async () => ({ items: [] }),
      getWithCarparks: async () => undefined,
    },
    carparks: {
      claimSite: async () => undefined,
      async create(c) {
        if (failCarparkWrites-- > 0) throw new Error('DynamoDB unavailable');
        carparks.set(c.carparkId, c);
      },
      get: async (id) => carparks.get(id),
      list: async () => ({ items: [] }),
      update: async () => {
        throw new Error('not used');
      },
    },
    payments: {
      createProduct: async (_p, key) => (stripeKeys.push(key), `prod_${key}`),
      createPrice: async (_p, key) => (stripeKeys.push(key), `price_${key}`),
      deactivatePrice: async () => undefined,
    },
    priceChanges: { announce: async () => undefined },
    spaces: { freed: async () => undefined },
  };
});

describe('applying', () => {
  it('is for tenants only', async () => {
    await expect(applyToOperate(applyDeps(), { userId: 'usr_x', role: 'operator', operatorId: 'op_x' }, input)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(applyToOperate(applyDeps(), admin, input)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('refuses a first car park whose prices and capacities cover different vehicle types', async () => {
    const bad = { ...input, carpark: { ...input.carpark, prices: { car: 8500, van: 9000 } } };
    await expect(applyToOperate(applyDeps(), caller, bad)).rejects.toBeInstanceOf(ValidationError);
  });

  it('emails the applicant a link to its status and the admins a link to the queue', async () => {
    const application = await applyToOperate(applyDeps(), caller, input);
    expect(application).toMatchObject({ status: 'pending', applicantEmail: tenant.email, carpark: { supportEmail: 'desk@kirkgate.example' } });
    expect(deps.mailer.sent.map((m) => [m.to, m.text.match(/https:\S+/)?.[0]])).toEqual([
      [tenant.email, 'https://parking.example/become-operator'],
      ['alerts@platform.example', 'https://parking.example/console/applications'],
    ]);
  });

  it(`limits a user to ${APPLICATION_LIMIT.perUser} applications a day, so the admins are not flooded`, async () => {
    const withLimits = applyDeps();
    for (let i = 0; i < APPLICATION_LIMIT.perUser; i++) {
      const { applicationId } = await applyToOperate(withLimits, caller, input);
      await rejectApplication(deps, admin, applicationId, { reason: 'No' });
    }
    await expect(applyToOperate(withLimits, caller, input)).rejects.toBeInstanceOf(TooManyRequestsError);
  });
});

describe('approving', () => {
  it('derives the operator and car park ids from the application, so a retry names the same objects', () => {
    expect(approvalIds('app_1')).toEqual(approvalIds('app_1'));
    expect(approvalIds('app_1')).not.toEqual(approvalIds('app_2'));
    expect(approvalIds('app_1').operatorId).toMatch(/^op_[0-9a-f]{20}$/);
    expect(approvalIds('app_1').carparkId).toMatch(/^cp_[0-9a-f]{20}$/);
  });

  it('finishes on a retry after failing part way, with one operator, one car park, the same Stripe keys and one session reset', async () => {
    const { applicationId } = await applyToOperate(applyDeps(), caller, input);
    failCarparkWrites = 1;
    await expect(approveApplication(deps, admin, applicationId)).rejects.toThrow('DynamoDB unavailable');
    expect(deps.applications.all.get(applicationId)).toMatchObject({ status: 'pending' });
    const keysOfFirstTry = [...stripeKeys];

    const approved = await approveApplication(deps, admin, applicationId);
    expect(approved).toMatchObject({ status: 'approved', ...approvalIds(applicationId) });
    expect([...operators.keys()]).toEqual([approvalIds(applicationId).operatorId]);
    expect([...carparks.keys()]).toEqual([approvalIds(applicationId).carparkId]);
    expect(stripeKeys.slice(keysOfFirstTry.length)).toEqual(keysOfFirstTry);
    expect(deps.users.all.get(tenant.userId)).toMatchObject({ role: 'operator', operatorId: approved.operatorId, tokenVersion: 1 });
    expect(deps.mailer.sent.filter((m) => m.subject.startsWith('Approved'))).toHaveLength(1);
  });

  it('keeps a second decision off while an approval is under way, and lets a retry resume once its lease has run out', async () => {
    const { applicationId } = await applyToOperate(applyDeps(), caller, input);
    await deps.applications.claimApproval(applicationId, { id: 'crashed', until: new Date(clock.now().getTime() + APPROVAL_LEASE_MS).toISOString(), now: clock.now().toISOString() });

    await expect(approveApplication(deps, admin, applicationId)).rejects.toMatchObject({ code: 'application_decided' });
    await expect(rejectApplication(deps, admin, applicationId, { reason: 'No' })).rejects.toMatchObject({ code: 'application_decided' });

    clock.advance(APPROVAL_LEASE_MS + 1);
    expect(await approveApplication(deps, admin, applicationId)).toMatchObject({ status: 'approved' });
  });

  it('is for admins only', async () => {
    const { applicationId } = await applyToOperate(applyDeps(), caller, input);
    await expect(approveApplication(deps, caller, applicationId)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(rejectApplication(deps, caller, applicationId, { reason: 'No' })).rejects.toBeInstanceOf(ForbiddenError);
  });
});
