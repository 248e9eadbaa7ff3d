import type { App, Op } from '../app';
import { advanceLimit, advanceTime } from '../billing/scheduler';
import { invalidRequest } from '../http/errors';
import { newestFirst, paginate } from '../http/lists';
import type { Route } from '../http/router';
import { LIST_PARAMS } from '../http/router';
import { deletedObject, testClockTemplate } from '../objects/templates';
import { optInt, optNullableString } from '../params';
import type { Rec } from '../store';
import { missingParam } from '../http/errors';

const THIRTY_DAYS = 30 * 86_400;

/**
 * Runs a test clock's advance after the API call returned (status `advancing`), then marks it
 * `ready` and emits `test_helpers.test_clock.ready`, as Stripe does asynchronously.
 */
function runAdvance(app: App, clock: Rec, target: number): void {
  advanceTime(app, String(clock.id), target, (at) => {
    clock.frozen_time = at;
  });
  clock.frozen_time = target;
  clock.status = 'ready';
  clock.status_details = {};
  app.emit({ app, origin: null }, 'test_helpers.test_clock.ready', app.render('test_helpers.test_clock', clock));
}

function advance(op: Op, clock: Rec, target: number, delayMs: number): void {
  const { app } = op;
  if (clock.status === 'advancing') {
    throw invalidRequest('The test clock is already advancing. Wait until it is ready before advancing it again.', { param: 'frozen_time' });
  }
  const current = Number(clock.frozen_time);
  if (target <= current) {
    throw invalidRequest(`The frozen_time must be after the test clock's current frozen_time (${current}).`, { param: 'frozen_time' });
  }
  const limit = advanceLimit(app, String(clock.id), current);
  if (target > limit) {
    throw invalidRequest(
      `Cannot advance the test clock more than two intervals of its shortest subscription (or two years without subscriptions); the latest allowed frozen_time is ${limit}.`,
      { param: 'frozen_time' },
    );
  }
  clock.status = 'advancing';
  clock.status_details = { advancing: { target_frozen_time: target } };
  app.emit(op, 'test_helpers.test_clock.advancing', app.render('test_helpers.test_clock', clock));
  app.schedule(() => runAdvance(app, clock, target), delayMs);
}

/** Deleting a clock deletes the customers on it and everything they own. */
function removeClock(op: Op, clock: Rec): void {
  const { app } = op;
  const customers = new Set(app.store.all('customer').filter((c) => c.test_clock === clock.id).map((c) => String(c.id)));
  for (const kind of ['invoiceitem', 'invoice', 'subscription_item', 'subscription', 'setup_intent', 'payment_method'] as const) {
    for (const rec of app.store.all(kind)) {
      const owner = kind === 'subscription_item' ? app.store.get('subscription', String(rec.subscription))?.customer : rec.customer;
      if (typeof owner === 'string' && customers.has(owner)) app.store.delete(kind, String(rec.id));
    }
  }
  for (const id of customers) app.store.delete('customer', id);
  const snapshot = app.render('test_helpers.test_clock', clock);
  app.store.delete('test_helpers.test_clock', String(clock.id));
  app.emit(op, 'test_helpers.test_clock.deleted', snapshot);
}

export function createTestClock(op: Op, frozenTime: number, name: string | null): Rec {
  const { app } = op;
  const created = app.realNow();
  const clock: Rec = testClockTemplate({
    id: app.store.newId('test_helpers.test_clock'),
    created,
    deletes_after: created + THIRTY_DAYS,
    frozen_time: frozenTime,
    name,
  });
  app.store.insert('test_helpers.test_clock', clock);
  app.emit(op, 'test_helpers.test_clock.created', app.render('test_helpers.test_clock', clock));
  return clock;
}

export function testClockRoutes(advanceDelayMs: number): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/v1/test_helpers/test_clocks',
      params: ['frozen_time', 'name'],
      handler: ({ op, params }) => {
        const frozen = optInt(params, 'frozen_time');
        if (frozen === undefined) throw missingParam('frozen_time');
        return op.app.render('test_helpers.test_clock', createTestClock(op, frozen, optNullableString(params, 'name') ?? null));
      },
    },
    {
      method: 'GET',
      pattern: '/v1/test_helpers/test_clocks/:id',
      params: [],
      handler: ({ app, path }) => app.renderById('test_helpers.test_clock', path.id as string),
    },
    {
      method: 'POST',
      pattern: '/v1/test_helpers/test_clocks/:id/advance',
      params: ['frozen_time'],
      handler: ({ op, path, params }) => {
        const { app } = op;
        const clock = app.store.require('test_helpers.test_clock', path.id as string, 'test_clock');
        const target = optInt(params, 'frozen_time');
        if (target === undefined) throw missingParam('frozen_time');
        advance(op, clock, target, advanceDelayMs);
        return app.render('test_helpers.test_clock', clock);
      },
    },
    {
      method: 'DELETE',
      pattern: '/v1/test_helpers/test_clocks/:id',
      params: [],
      handler: ({ op, path }) => {
        const clock = op.app.store.require('test_helpers.test_clock', path.id as string, 'test_clock');
        removeClock(op, clock);
        return deletedObject('test_helpers.test_clock', String(clock.id));
      },
    },
    {
      method: 'GET',
      pattern: '/v1/test_helpers/test_clocks',
      params: [...LIST_PARAMS],
      handler: ({ app, params }) => paginate(app, 'test_helpers.test_clock', newestFirst(app.store.all('test_helpers.test_clock')), params, '/v1/test_helpers/test_clocks'),
    },
  ];
}
