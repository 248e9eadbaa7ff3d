/**
 * Demo data for the offline twin: an admin, an operator company with two car parks and one
 * operator login, a tenant, and a corporate tenant linked to the Xero simulator's demo customer.
 * Runs through the same repositories as the API; does nothing when the demo admin already exists,
 * so a second start keeps whatever was changed.
 */
import { carparkWriteDeps } from '../functions/adapters/wiring/carpark-writes';
import { operatorRepository, userRepository } from '../functions/adapters/dynamodb/repositories';
import { xeroContactLinks } from '../functions/adapters/dynamodb/xero-links';
import { createCarpark, type CreateCarparkInput } from '../functions/domain/carpark-admin';
import { newId } from '../functions/domain/ids';
import type { AccountType, Role } from '../functions/domain/identity';
import { hashPassword } from '../functions/domain/passwords';
import { DEMO_XERO_CONTACT_ID } from './xero/demo';

export const DEMO_PASSWORD = 'Demo-parking-2026';

const DEMO_USERS: { role: Role; email: string; name: string; accountType: AccountType }[] = [
  { role: 'admin', email: 'admin@carpark.local', name: 'Ada Admin', accountType: 'individual' },
  { role: 'operator', email: 'operator@carpark.local', name: 'Omar Operator', accountType: 'corporate' },
  { role: 'tenant', email: 'tenant@carpark.local', name: 'Tess Tenant', accountType: 'individual' },
  { role: 'tenant', email: 'fleet@carpark.local', name: 'Fran Fleet (Acme Logistics)', accountType: 'corporate' },
];

export async function seedDemoData(): Promise<{
  created: boolean;
  logins: { role: string; email: string; password: string }[];
}> {
  const logins = DEMO_USERS.map(({ role, email }) => ({ role, email, password: DEMO_PASSWORD }));
  if (await userRepository.findByEmail(DEMO_USERS[0]!.email)) return { created: false, logins };

  const now = new Date().toISOString();
  const operatorId = newId('op');
  await operatorRepository.create({ operatorId, name: 'Northgate Parking Ltd', contactEmail: 'hello@northgate.local', createdAt: now });

  const carparks: Omit<CreateCarparkInput, 'operatorId'>[] = [
    {
      name: 'Northgate Multi-Storey',
      address: { line1: '12 Northgate Street', city: 'Leeds', postcode: 'LS1 4AB', country: 'GB' },
      currency: 'gbp',
      prices: { car: 12_000, motorcycle: 4_500, ev: 14_000 },
      capacity: { car: 120, motorcycle: 20, ev: 10 },
      smartParkingSiteId: 'SP-LEEDS-001',
      supportEmail: 'northgate@northgate.local',
      timeZone: 'Europe/London',
    },
    {
      name: 'Riverside Yard',
      address: { line1: '3 Wharf Road', city: 'Leeds', postcode: 'LS2 7EE', country: 'GB' },
      currency: 'gbp',
      prices: { car: 9_500, van: 15_000 },
      capacity: { car: 40, van: 6 },
      smartParkingSiteId: 'SP-LEEDS-002',
      supportEmail: 'riverside@northgate.local',
      timeZone: 'Europe/London',
    },
  ];
  // Through the use case, so each car park gets its Stripe product and prices.
  const seeder = { userId: 'seed', role: 'admin' as const };
  for (const carpark of carparks) await createCarpark(carparkWriteDeps, seeder, { ...carpark, operatorId });

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const created: ((typeof DEMO_USERS)[number] & { userId: string })[] = [];
  for (const demo of DEMO_USERS) {
    const userId = newId('usr');
    await userRepository.create({
      userId,
      email: demo.email,
      name: demo.name,
      role: demo.role,
      accountType: demo.accountType,
      ...(demo.role === 'operator' ? { operatorId } : {}),
      passwordHash,
      passwordChangedAt: now,
      createdAt: now,
      updatedAt: now,
    });
    created.push({ ...demo, userId });
  }
  // Corporate tenants are invoiced in Xero: linked, as the admin would, to the simulator's demo customer.
  const admin = created.find((user) => user.role === 'admin')!;
  for (const user of created.filter((u) => u.role === 'tenant' && u.accountType === 'corporate')) {
    await xeroContactLinks.save({ userId: user.userId, contactId: DEMO_XERO_CONTACT_ID, linkedAt: now, linkedBy: admin.userId });
  }
  return { created: true, logins };
}
