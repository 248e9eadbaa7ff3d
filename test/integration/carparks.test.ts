import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CarparkListResponse, ManagedCarparkResponse, OperatorWithCarparksResponse } from '../../functions/api/schemas';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { getDocumentClient, getTableName } from '../../functions/adapters/dynamodb/client';
import { keys } from '../../functions/adapters/dynamodb/keys';
import { carparkRepository } from '../../functions/adapters/dynamodb/repositories';
import { startTestTwin } from '../support/twin';
import { carparkInput, createCast, type Cast } from './actors';

let twin: Awaited<ReturnType<typeof startTestTwin>>;
let cast: Cast;
beforeAll(async () => {
  twin = await startTestTwin();
  cast = await createCast(twin);
});
afterAll(() => twin?.close());

describe('car parks', () => {
  it('lists car parks publicly with prices and free spaces, but no internals', async () => {
    const res = await twin.request('GET', '/carparks');
    expect(res.status).toBe(200);
    const list = CarparkListResponse.parse(res.json);
    const x = list.items.find((c) => c.carparkId === cast.operatorX.carparkId);
    expect(x).toMatchObject({ prices: { car: 10_000, motorcycle: 4_000 }, spacesFree: { car: 10, motorcycle: 2 } });
    expect(res.text).not.toContain('smartParkingSiteId');
  });

  it('pages through the list with a cursor, visiting each car park once', async () => {
    for (let i = 0; i < 3; i++) {
      await twin.request('POST', '/carparks', { token: cast.operatorY.token, body: carparkInput({ name: `Paged ${i}` }) });
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await twin.request('GET', `/carparks?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      const page = CarparkListResponse.parse(res.json);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((c) => c.carparkId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(5);
  });

  it('shows an operator its own car parks with occupancy', async () => {
    const res = await twin.request('GET', `/operators/${cast.operatorX.operatorId}`, { token: cast.operatorX.token });
    expect(res.status).toBe(200);
    const operator = OperatorWithCarparksResponse.parse(res.json);
    expect(operator.carparks.map((c) => c.carparkId)).toContain(cast.operatorX.carparkId);
    expect(operator.carparks.every((c) => c.operatorId === cast.operatorX.operatorId)).toBe(true);
  });

  it('lets its operator change prices and capacity, and keeps them consistent', async () => {
    const path = `/carparks/${cast.operatorX.carparkId}`;
    const res = await twin.request('PATCH', path, {
      token: cast.operatorX.token,
      body: { prices: { car: 11_000, motorcycle: 4_000, van: 16_000 }, capacity: { car: 12, motorcycle: 2, van: 3 } },
    });
    expect(res.status, res.text).toBe(200);
    expect(ManagedCarparkResponse.parse(res.json)).toMatchObject({ prices: { van: 16_000 }, spacesFree: { car: 12, van: 3 } });

    const mismatched = await twin.request('PATCH', path, { token: cast.operatorX.token, body: { prices: { car: 11_000 } } });
    expect(mismatched.status).toBe(422);
    const fetched = await twin.request('GET', path);
    expect(fetched.json).toMatchObject({ prices: { car: 11_000, van: 16_000 } });
  });

  it('refuses a capacity below the spaces already let with 409', async () => {
    // Tenancies arrive in a later slice; occupy spaces directly to exercise the guard.
    await getDocumentClient().send(
      new UpdateCommand({
        TableName: getTableName(),
        Key: keys.carpark(cast.operatorY.carparkId),
        UpdateExpression: 'SET occupied = :occupied',
        ExpressionAttributeValues: { ':occupied': { car: 4 } },
      }),
    );
    const res = await twin.request('PATCH', `/carparks/${cast.operatorY.carparkId}`, {
      token: cast.operatorY.token,
      body: { capacity: { car: 3, motorcycle: 2 } },
    });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ error: { code: 'capacity_below_occupancy' } });
    expect((await carparkRepository.get(cast.operatorY.carparkId))?.capacity.car).toBe(10);
  });

  it('answers 404 for a car park that does not exist', async () => {
    expect((await twin.request('GET', '/carparks/cp_00000000000000000000')).status).toBe(404);
  });
});

describe('health and API description', () => {
  it('reports the table reachable', async () => {
    const res = await twin.request('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'ok', checks: { table: 'reachable' } });
  });

  it('serves the OpenAPI document', async () => {
    const res = await twin.request('GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ openapi: '3.1.0', paths: { '/carparks': { get: { operationId: 'ListCarparks' } } } });
  });
});
