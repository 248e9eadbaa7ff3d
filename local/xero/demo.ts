/**
 * The twin's demo Xero organisation: one corporate customer with a few months of invoices, which
 * the seed links to the demo corporate login (local/seed.ts).
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
      invoices: [invoice(2, 'PAID'), invoice(1, 'PAID'), invoice(0, 'AUTHORISED'), { ...invoice(0, 'DRAFT'), total: 120 }],
    },
  ];
}
