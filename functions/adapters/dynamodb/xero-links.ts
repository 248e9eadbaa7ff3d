/**
 * Which Xero contact a corporate user is invoiced as. The link sits in the user's own partition,
 * so GET /billing reads the account type and the contact in one query.
 */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { XeroContactLink, XeroContactLinks } from '../../domain/corporate-billing';
import { parseItem } from './entities/item';
import { userAccountTypeProjection, xeroContactProjection } from './entities/users';
import { ENTITY, keys } from './keys';
import { TableName, db } from './table';
import { tableSchema } from './table-schema';

export const xeroContactLinks: XeroContactLinks = {
  /** 1 round trip: the user's partition, projected to what billing needs (never the password hash). */
  async profile(userId) {
    const { Items = [] } = await db().send(
      new QueryCommand({
        TableName: TableName(),
        KeyConditionExpression: '#pk = :pk',
        ProjectionExpression: '#sk, accountType, contactId',
        ExpressionAttributeNames: { '#pk': tableSchema.partitionKey, '#sk': tableSchema.sortKey },
        ExpressionAttributeValues: { ':pk': keys.userPartition(userId) },
      }),
    );
    const sortKeyOf = (item: Record<string, unknown>) => item[tableSchema.sortKey];
    const user = Items.find((item) => sortKeyOf(item) === keys.user(userId).sk);
    if (!user) return undefined;
    const link = Items.find((item) => sortKeyOf(item) === keys.xeroContactLink(userId).sk);
    const contact = link ? parseItem(xeroContactProjection, link) : undefined;
    return {
      accountType: parseItem(userAccountTypeProjection, user).accountType,
      ...(contact && { xeroContactId: contact.contactId }),
    };
  },

  /** 1 round trip. */
  async save(link: XeroContactLink) {
    await db().send(
      new PutCommand({ TableName: TableName(), Item: { ...keys.xeroContactLink(link.userId), type: ENTITY.xeroContactLink, ...link } }),
    );
  },
};
