/** Wiring for linking users to Xero contacts: DynamoDB, and Xero to check the contact. */
import { systemClock } from '../../domain/clock';
import type { XeroLinkDeps } from '../../domain/corporate-billing';
import { userRepository } from '../dynamodb/repositories';
import { xeroContactLinks } from '../dynamodb/xero-links';
import { xeroContactDirectory } from '../xero/client';

export const xeroLinkDeps: XeroLinkDeps = { users: userRepository, links: xeroContactLinks, contacts: xeroContactDirectory, clock: systemClock };
