/**
 * Demo data for the offline twin: an admin, an operator company with two car parks and one
 * operator login, and a tenant. Runs through the same repositories as the API; does nothing when
 * the demo admin already exists, so a second start keeps whatever was changed.
 */
import { carparkWriteDeps } from '../functions/adapters/wiring/carpark-writes';
import { operatorRepository, userRepository } from '../functions/adapters/dynamodb/repositories';
import { createCarpark, type CreateCarparkInput } from '../functions/domain/carpark-admin';
import { newId } from '../functions/domain/ids';
import type { AccountType, Role } from '../functions/domain/identity';
import { hashPassword } from '../functions/domain/passwords';

export const DEMO_PASSWORD = 'Demo-parking-2026';

const DEMO_USERS: { role: Role; email: string; name: string; accountType: AccountType }[] = [
  { role: 'admin', email: 'admin@carpark.local', name: 'Ada Admin', accountType: 'individual' },
  { role: 'operator', email: 'operator@carpark.local', name: 'Omar Operator', accountType: 'corporate' },
  { role: 'tenant', email: 'tenant@carpark.local', name: 'Tess Tenant', accountType: 'individual' },
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
    },
    {
      name: 'Riverside Yard',
      address: { line1: '3 Wharf Road', city: 'Leeds', postcode: 'LS2 7EE', country: 'GB' },
      currency: 'gbp',
      prices: { car: 9_500, van: 15_000 },
      capacity: { car: 40, van: 6 },
      smartParkingSiteId: 'SP-LEEDS-002',
      supportEmail: 'riverside@northgate.local',
    },
  ];
  // Through the use case, so each car park gets its Stripe product and prices.
  const seeder = { userId: 'seed', role: 'admin' as const };
  for (const carpark of carparks) await createCarpark(carparkWriteDeps, seeder, { ...carpark, operatorId });

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const demo of DEMO_USERS) {
    await userRepository.create({
      userId: newId('usr'),
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
  }
  return { created: true, logins };
}
