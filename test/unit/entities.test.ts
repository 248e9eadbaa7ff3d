/**
 * The data boundary: items read from the table are parsed by their entity's schema, the query
 * helpers follow pages to the end (capped) or fill a filtered page (bounded), and a transaction
 * cancelled by a conflict is tried again (bounded).
 */
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { arrearsEntity } from '../../functions/adapters/dynamodb/entities/billing';
import { carparkEntity } from '../../functions/adapters/dynamodb/entities/carparks';
import { CorruptItemError, parseItem } from '../../functions/adapters/dynamodb/entities/item';
import { tenancyEntity } from '../../functions/adapters/dynamodb/entities/tenancies';
import { failedPaymentMarkerEntity, statsMonthEntity, statsOperatorMonthEntity, statsOperatorTotalsEntity, statsTotalsEntity } from '../../functions/adapters/dynamodb/entities/stats';
import { userEntity } from '../../functions/adapters/dynamodb/entities/users';
import { INDEX, indexKeys, OPERATOR_ITEMS_SORT } from '../../functions/adapters/dynamodb/keys';
import { QueryCapExceededError, queryAll, queryFilteredPage, transact } from '../../functions/adapters/dynamodb/table';
import type { Tenancy } from '../../functions/domain/tenancies';

const tenancy: Tenancy = {
  tenancyId: 'tn_00000000000000000001',
  userId: 'usr_00000000000000000001',
  carparkId: 'cp_00000000000000000001',
  operatorId: 'op_00000000000000000001',
  siteId: 'SP-1',
  vehicleType: 'car',
  plate: 'AB12CDE',
  status: 'suspended',
  startDate: '2026-01-01T00:00:00.000Z',
  priceId: 'price_1',
  monthlyAmount: 10_000,
  currency: 'gbp',
  barrier: { status: 'revoked', changedAt: '2026-02-01T00:00:00.000Z' },
  renewsAt: '2026-03-01T00:00:00.000Z',
  arrears: { state: 'suspended', invoiceId: 'in_1', since: '2026-02-01T00:00:00.000Z', amountDue: 10_000, currency: 'gbp' },
  suspendedFrom: 'active',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-02-01T00:00:00.000Z',
};
const bookkeeping = { pk: 'tenancy#tn_00000000000000000001', sk: 'tenancy', type: 'tenancy', gsi1pk: 'user#usr_1', gsi1sk: 'tenancy#x', gsi2pk: 'carpark#cp_1', gsi2sk: 'tenancy#tn_1' };

describe('parsing items read from the table', () => {
  it('gives back the domain object without keys, index keys, type or TTL', () => {
    expect(parseItem(tenancyEntity, { ...bookkeeping, ttl: 123, ...tenancy })).toEqual(tenancy);
  });

  it('refuses a malformed item naming its keys and every failing field path', () => {
    const { plate: _plate, ...noPlate } = tenancy;
    const stored = { ...bookkeeping, ...noPlate, status: 'paused', monthlyAmount: '100', barrier: { status: 'registered' }, arrears: { ...tenancy.arrears, amountDue: 'x' } };
    let error: unknown;
    try {
      parseItem(tenancyEntity, stored);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CorruptItemError);
    const corrupt = error as CorruptItemError;
    expect(corrupt.entity).toBe('tenancy');
    expect(corrupt.key).toEqual({ pk: bookkeeping.pk, sk: 'tenancy' });
    expect(corrupt.fields.map((f) => f.path).sort()).toEqual(['arrears.amountDue', 'barrier.changedAt', 'monthlyAmount', 'plate', 'status']);
    expect(corrupt.message).toContain(`pk=${bookkeeping.pk} sk=tenancy`);
    expect(corrupt.message).toContain('barrier.changedAt');
  });

  it('never puts stored values in the error (an item may hold a password hash)', () => {
    const user = { pk: 'user#usr_1', sk: 'user', userId: 'usr_1', email: 'a@b.example', name: 'A', role: 'tenant', accountType: 'individual', passwordHash: 'scrypt$SECRET', passwordChangedAt: 'then', createdAt: 'then', updatedAt: 42 };
    expect(() => parseItem(userEntity, user)).toThrow(/updatedAt/);
    expect(() => parseItem(userEntity, user)).not.toThrow(/SECRET/);
  });

  it('refuses an unknown vehicle type in a car park map and a missing arrears schedule', () => {
    const carpark = { carparkId: 'cp_1', operatorId: 'op_1', name: 'N', address: { line1: 'l', city: 'c', postcode: 'p', country: 'GB' }, currency: 'gbp', prices: { bus: 1 }, capacity: {}, occupied: {}, smartParkingSiteId: 's', supportEmail: 'e', createdAt: 't', updatedAt: 't' };
    expect(() => parseItem(carparkEntity, { pk: 'carpark#cp_1', sk: 'carpark', ...carpark })).toThrow(CorruptItemError);
    expect(() => parseItem(arrearsEntity, { pk: 'billing#usr_1', sk: 'arrears#in_1', userId: 'usr_1', customerId: 'cus_1', invoiceId: 'in_1', number: null, amountDue: 1, currency: 'gbp', hostedInvoiceUrl: null, since: 't', state: 'overdue' })).toThrow(/retryAt/);
  });
});

describe('dashboard statistics items', () => {
  const partition = 'stats#operator#op_1';

  it('gathers a month bucket\'s flat counts by vehicle type, absent and zero counts left out', () => {
    const stored = { pk: partition, sk: 'month#2026-03#cp_1', type: 'statsMonth', carparkId: 'cp_1', month: '2026-03', taken_car: 3, taken_van: 0, freed_ev: 1, revenue: 25_000, paymentsFailed: 2 };
    expect(parseItem(statsMonthEntity, stored)).toEqual({
      carparkId: 'cp_1',
      month: '2026-03',
      taken: { car: 3 },
      freed: { ev: 1 },
      ended: 0,
      revenue: 25_000,
      paymentsFailed: 2,
      paymentsRecovered: 0,
    });
  });

  it('gathers a total\'s open arrears, oldest first, and counts an absent MRR as zero', () => {
    const stored = {
      pk: partition,
      sk: 'totals#cp_1',
      type: 'statsTotals',
      carparkId: 'cp_1',
      arrears_in_b: { since: '2026-02-01T00:00:00.000Z', amount: 9_000 },
      arrears_in_a: { since: '2026-03-01T00:00:00.000Z', amount: 12_000 },
    };
    expect(parseItem(statsTotalsEntity, stored)).toEqual({
      carparkId: 'cp_1',
      mrr: 0,
      arrears: [
        { invoiceId: 'in_b', since: '2026-02-01T00:00:00.000Z', amount: 9_000 },
        { invoiceId: 'in_a', since: '2026-03-01T00:00:00.000Z', amount: 12_000 },
      ],
    });
  });

  it('reads the operator\'s own month and totals like a car park\'s, without a car park', () => {
    const month = { pk: partition, sk: 'operator#month#2026-03', type: 'statsOperatorMonth', month: '2026-03', taken_car: 5, freed_car: 1, revenue: 40_000 };
    expect(parseItem(statsOperatorMonthEntity, month)).toEqual({ month: '2026-03', taken: { car: 5 }, freed: { car: 1 }, ended: 0, revenue: 40_000, paymentsFailed: 0, paymentsRecovered: 0 });
    const totals = { pk: partition, sk: 'operator#totals', type: 'statsOperatorTotals', mrr: 30_000, arrears_in_a: { since: '2026-03-01T00:00:00.000Z', amount: 21_000 } };
    expect(parseItem(statsOperatorTotalsEntity, totals)).toEqual({ mrr: 30_000, arrears: [{ invoiceId: 'in_a', since: '2026-03-01T00:00:00.000Z', amount: 21_000 }] });
  });

  it('sort in the operator\'s index so that one range is a whole operator\'s dashboard, without its car parks\' counters', () => {
    const sortKeyOf = (index: Record<string, string>) => index[INDEX.operatorItems.sortKey]!;
    const items = {
      carparkMonth: sortKeyOf(indexKeys.statsMonth('op_1', 'cp_1', '2026-03')),
      operatorMonth: sortKeyOf(indexKeys.statsOperatorMonth('op_1', '2026-03')),
      carpark: `${OPERATOR_ITEMS_SORT.carpark}cp_1`,
      operator: OPERATOR_ITEMS_SORT.operator,
      operatorTotals: sortKeyOf(indexKeys.statsOperatorTotals('op_1')),
      carparkTotals: sortKeyOf(indexKeys.statsTotals('op_1', 'cp_1')),
    };
    // DynamoDB orders sort keys by their bytes: for these ASCII keys, as JavaScript compares them.
    expect(Object.values(items).sort()).toEqual(Object.values(items));
    const from = `${OPERATOR_ITEMS_SORT.operatorMonth}2026-01`;
    const inRange = Object.entries(items).filter(([, key]) => key >= from && key <= OPERATOR_ITEMS_SORT.operatorTotals);
    expect(inRange.map(([name]) => name)).toEqual(['operatorMonth', 'carpark', 'operator', 'operatorTotals']);
    // An older month of the operator's is outside it.
    expect(sortKeyOf(indexKeys.statsOperatorMonth('op_1', '2025-12')) < from).toBe(true);
  });

  it('refuses malformed statistics as corrupt items, naming the failing fields', () => {
    const fieldsOf = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(CorruptItemError);
        return (error as CorruptItemError).fields.map((f) => f.path).sort();
      }
      throw new Error('parsed');
    };
    expect(fieldsOf(() => parseItem(statsMonthEntity, { pk: partition, sk: 'month#x', month: '2026-03', revenue: '10', taken_car: 'many' }))).toEqual(['carparkId', 'revenue', 'taken_car']);
    expect(fieldsOf(() => parseItem(statsTotalsEntity, { pk: partition, sk: 'totals#cp_1', carparkId: 'cp_1', mrr: 100, arrears_in_1: { since: '2026-01-01' } }))).toEqual(['arrears.0.amount']);
    expect(fieldsOf(() => parseItem(statsOperatorMonthEntity, { pk: partition, sk: 'operator#month#x', revenue: 10, ended: 'one' }))).toEqual(['ended', 'month']);
    expect(fieldsOf(() => parseItem(statsOperatorTotalsEntity, { pk: partition, sk: 'operator#totals', mrr: '100' }))).toEqual(['mrr']);
    expect(fieldsOf(() => parseItem(failedPaymentMarkerEntity, { pk: 'statsMarker#failed#in_1', sk: 'statsMarker', month: '2026-03', parts: [{ operatorId: 'op_1' }] }))).toEqual([
      'parts.0.amount',
      'parts.0.carparkId',
      'since',
    ]);
  });
});

describe('query helpers', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  beforeEach(() => {
    process.env.TABLE_NAME = 'test-table';
    ddb.reset();
  });
  afterEach(() => ddb.reset());

  const item = (n: number, status = 'active') => ({ pk: `p${n}`, sk: 's', gsi1pk: 'g', gsi1sk: `k${n}`, status });

  it('queryAll follows LastEvaluatedKey to the end', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [item(1)], LastEvaluatedKey: { pk: 'p1' } })
      .resolvesOnce({ Items: [item(2)], LastEvaluatedKey: { pk: 'p2' } })
      .resolvesOnce({ Items: [item(3)] });
    const items = await queryAll({ KeyConditionExpression: 'pk = :pk' }, { what: 'test', maxItems: 10 });
    expect(items.map((i) => i.pk)).toEqual(['p1', 'p2', 'p3']);
    expect(ddb.commandCalls(QueryCommand)[1]!.args[0].input.ExclusiveStartKey).toEqual({ pk: 'p1' });
  });

  it('queryAll stops with a clear error past its item cap or its page cap', async () => {
    ddb.on(QueryCommand).resolves({ Items: [item(1), item(2)], LastEvaluatedKey: { pk: 'more' } });
    await expect(queryAll({ KeyConditionExpression: 'pk = :pk' }, { what: 'arrears of usr_1', maxItems: 5 })).rejects.toThrow(QueryCapExceededError);
    await expect(queryAll({ KeyConditionExpression: 'pk = :pk' }, { what: 'arrears of usr_1', maxItems: 5 })).rejects.toThrow(/arrears of usr_1/);
    ddb.reset();
    ddb.on(QueryCommand).resolves({ Items: [], LastEvaluatedKey: { pk: 'more' } });
    await expect(queryAll({ KeyConditionExpression: 'pk = :pk' }, { what: 'x', maxItems: 5, maxPages: 3 })).rejects.toThrow(QueryCapExceededError);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(3);
  });

  const cancelled = (...codes: string[]) =>
    Object.assign(new Error('Transaction cancelled'), { name: 'TransactionCanceledException', CancellationReasons: codes.map((Code) => ({ Code })) });
  const oneUpdate = [{ Update: { TableName: 'test-table', Key: { pk: 'p', sk: 's' }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } } }];

  it('a transaction another one conflicted with is tried again, and lands', async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'TransactionConflict')).rejectsOnce(cancelled('TransactionConflict')).resolves({});
    expect(await transact(oneUpdate)).toEqual({ ok: true });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(3);
  });

  it('a transaction is not tried again for a failed condition, and not forever for conflicts', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'TransactionConflict'));
    expect(await transact(oneUpdate)).toEqual({ ok: false, failed: [true, false] });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
    ddb.reset();
    ddb.on(TransactWriteCommand).rejects(cancelled('TransactionConflict'));
    await expect(transact(oneUpdate)).rejects.toThrow('Transaction cancelled');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(4);
  });

  const filtered = { KeyConditionExpression: 'gsi1pk = :pk', FilterExpression: '#status = :status' };
  const options = { limit: 2, cursorKeys: ['pk', 'sk', 'gsi1pk', 'gsi1sk'], maxReads: 3, readSize: 10 };

  it('a filtered page reads on until it is full, its cursor after the last item returned', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [], LastEvaluatedKey: { pk: 'p10' } })
      .resolvesOnce({ Items: [item(11)], LastEvaluatedKey: { pk: 'p20' } })
      .resolvesOnce({ Items: [item(21), item(22)], LastEvaluatedKey: { pk: 'p30' } });
    const page = await queryFilteredPage(filtered, options);
    expect(page.items.map((i) => i.pk)).toEqual(['p11', 'p21']);
    expect(page.lastKey).toEqual({ pk: 'p21', sk: 's', gsi1pk: 'g', gsi1sk: 'k21' });
    expect(ddb.commandCalls(QueryCommand).every((c) => c.args[0].input.Limit === 10)).toBe(true);
  });

  it('a filtered page has no cursor when the index ends, and stops at its read budget with one', async () => {
    ddb.on(QueryCommand).resolvesOnce({ Items: [item(1)], LastEvaluatedKey: { pk: 'p1' } }).resolvesOnce({ Items: [] });
    expect(await queryFilteredPage(filtered, options)).toEqual({ items: [item(1)] });
    ddb.reset();
    ddb.on(QueryCommand).resolves({ Items: [], LastEvaluatedKey: { pk: 'further' } });
    expect(await queryFilteredPage(filtered, options)).toEqual({ items: [], lastKey: { pk: 'further' } });
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(3);
  });
});
