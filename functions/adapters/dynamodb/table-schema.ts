/**
 * The physical shape of the single table, read by the CDK stateful stack and by the offline twin
 * (which creates the same table in DynamoDB Local). Entities map their keys onto these attributes.
 */
export const tableSchema = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB deletes expired items (reset tokens, login-failure counters). */
  timeToLiveAttribute: 'ttl',
  globalSecondaryIndexes: [
    /** gsi1: listings (all car parks). */
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    /** gsi2: an operator's items (the operator, its car parks and their statistics, one query). */
    { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    /** gsi3: plates (a plate's tenancies and sightings at a car park, one query). */
    { indexName: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  ],
} as const;

export type TableSchema = typeof tableSchema;
