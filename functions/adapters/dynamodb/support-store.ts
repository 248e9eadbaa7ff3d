import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SupportTicket } from '../../domain/support';
import { ENTITY, keys } from './keys';
import { TableName, db } from './table';

export const supportTickets = {
  async save(ticket: SupportTicket): Promise<void> {
    await db().send(new PutCommand({ TableName: TableName(), Item: { ...keys.supportTicket(ticket.ticketId), type: ENTITY.supportTicket, ...ticket } }));
  },
};

/** The contact form's counters live with the others. */
export { rateLimiter } from './rate-limits';
