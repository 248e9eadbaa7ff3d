/** Wiring for linking users to Xero contacts: DynamoDB only (no call to Xero). */
import { systemClock } from '../../domain/clock';
import type { XeroLinkDeps } from '../../domain/corporate-billing';
import { userRepository } from '../dynamodb/repositories';
import { xeroContactLinks } from '../dynamodb/xero-links';

export const xeroLinkDeps: XeroLinkDeps = { users: userRepository, links: xeroContactLinks, clock: systemClock };
