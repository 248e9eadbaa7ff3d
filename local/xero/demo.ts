/**
 * The twin's demo Xero organisation: one corporate customer with a few months of invoices, which
 * the seed links to the demo corporate login (local/seed.ts), and two more contacts to pick from
 * in the console (one archived, which cannot be linked).
 */
import type { SeedContact } from './simulator';

/** Fixed, so the seeded link in DynamoDB (kept across restarts) finds the contact again. */
export const DEMO_XERO_CONTACT_ID = '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f';

const day = (date: Date) => date.toISOString().slice(0, 10);

/** The first of each of the last three months: two paid, the latest awaiting payment; and a draft, never shown. */
export function demoXeroContacts(now = new Date()): SeedContact[] {
  const monthStart = (monthsAgo: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsAgo, 1));
  const dueAfter = (issued: Date) => day(new Date(issued.getTime() + 14 * 24 * 60 * 60 * 1000));
  const invoice = (monthsAgo: number, status: 'PAID' | 'AUTHORISED' | 'DRAFT') => {
    const issued = monthStart(monthsAgo);
    return { date: day(issued), dueDate: dueAfter(issued), total: 1_440, status };
  };
  return [
    {
      contactId: DEMO_XERO_CONTACT_ID,
      name: 'Acme Logistics Ltd',
      email: 'accounts@acme-logistics.example',
      invoices: [invoice(2, 'PAID'), invoice(1, 'PAID'), invoice(0, 'AUTHORISED'), { ...invoice(0, 'DRAFT'), total: 120 }],
    },
    { contactId: '2b7e4f1a-9c3d-4e5f-8a6b-7c8d9e0f1a2b', name: 'Northwind Freight Ltd', email: 'ap@northwind.example' },
    { contactId: '8d2c6b1e-4f3a-4b5c-9d7e-0a1b2c3d4e5f', name: 'Initech Ltd', status: 'ARCHIVED' },
  ];
}
