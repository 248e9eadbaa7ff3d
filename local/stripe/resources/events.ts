import { invalidRequest } from '../http/errors';
import { matchesCreated, newestFirst, paginate } from '../http/lists';
import type { Route } from '../http/router';
import { LIST_PARAMS } from '../http/router';
import { webhookEndpointTemplate, deletedObject } from '../objects/templates';
import { applyMetadata, optBool, optNullableString, optString, optStringArray, reqString } from '../params';
import type { Rec } from '../store';
import { randomToken } from '../store';
import type { JsonObject } from '../types';

/** `type` filter: an exact type or a `*` wildcard (`invoice.*`). */
function typeMatcher(pattern: string): (type: string) => boolean {
  if (!pattern.includes('*')) return (t) => t === pattern;
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return (t) => re.test(t);
}

export const eventRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/v1/events/:id',
    params: [],
    handler: ({ app, path }) => app.renderById('event', path.id as string),
  },
  {
    method: 'GET',
    pattern: '/v1/events',
    params: [...LIST_PARAMS, 'type', 'types', 'created', 'delivery_success'],
    handler: ({ app, params }) => {
      const type = optString(params, 'type');
      const types = optStringArray(params, 'types');
      if (type && types) throw invalidRequest('You may pass either `type` or `types`, but not both.', { param: 'types' });
      const match = type ? typeMatcher(type) : types ? (t: string) => types.includes(t) : () => true;
      const delivered = optBool(params, 'delivery_success');
      const recs = app.store
        .all('event')
        .filter((e) => match(String(e.type)) && matchesCreated(e, params) && (delivered === undefined || (e.pending_webhooks === 0) === delivered));
      return paginate(app, 'event', newestFirst(recs), params, '/v1/events');
    },
  },
];

/** Webhook endpoints created through the API (persisted; the secret is shown once, on creation). */
export function webhookEndpointRoutes(register: (rec: Rec) => void, unregister: (id: string) => void): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/v1/webhook_endpoints',
      params: ['url', 'enabled_events', 'description', 'metadata', 'api_version', 'connect'],
      handler: ({ app, params }) => {
        const rec: Rec = webhookEndpointTemplate({
          id: app.store.newId('webhook_endpoint'),
          api_version: optString(params, 'api_version') ?? null,
          created: app.realNow(),
          description: optNullableString(params, 'description') ?? null,
          enabled_events: optStringArray(params, 'enabled_events') ?? ['*'],
          metadata: applyMetadata({}, params),
          url: reqString(params, 'url'),
        });
        rec.__secret = `whsec_${randomToken(32)}`;
        app.store.insert('webhook_endpoint', rec);
        register(rec);
        return { ...app.render('webhook_endpoint', rec), secret: String(rec.__secret) };
      },
    },
    {
      method: 'GET',
      pattern: '/v1/webhook_endpoints/:id',
      params: [],
      handler: ({ app, path }) => app.renderById('webhook_endpoint', path.id as string),
    },
    {
      method: 'POST',
      pattern: '/v1/webhook_endpoints/:id',
      params: ['url', 'enabled_events', 'description', 'metadata', 'disabled'],
      handler: ({ app, path, params }) => {
        const rec = app.store.require('webhook_endpoint', path.id as string);
        const url = optString(params, 'url');
        if (url) rec.url = url;
        const events = optStringArray(params, 'enabled_events');
        if (events) rec.enabled_events = events;
        const description = optNullableString(params, 'description');
        if (description !== undefined) rec.description = description;
        const disabled = optBool(params, 'disabled');
        if (disabled !== undefined) rec.status = disabled ? 'disabled' : 'enabled';
        rec.metadata = applyMetadata(rec.metadata as JsonObject, params);
        unregister(String(rec.id));
        if (rec.status === 'enabled') register(rec);
        return app.render('webhook_endpoint', rec);
      },
    },
    {
      method: 'DELETE',
      pattern: '/v1/webhook_endpoints/:id',
      params: [],
      handler: ({ app, path }) => {
        const rec = app.store.require('webhook_endpoint', path.id as string);
        unregister(String(rec.id));
        app.store.delete('webhook_endpoint', String(rec.id));
        return deletedObject('webhook_endpoint', String(rec.id));
      },
    },
    {
      method: 'GET',
      pattern: '/v1/webhook_endpoints',
      params: [...LIST_PARAMS],
      handler: ({ app, params }) => paginate(app, 'webhook_endpoint', newestFirst(app.store.all('webhook_endpoint')), params, '/v1/webhook_endpoints'),
    },
  ];
}

