import { NestedStack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/**
 * Which nested stack of the API stack holds a route's function, by the first segment of the
 * route's path. A route whose first segment is not listed goes to {@link DEFAULT_ROUTE_GROUP}.
 *
 * Each group holds, per route, the function, its role, policy, log group and two alarms (6
 * resources, 2 outputs); the route, its integration and the invoke permission stay in the API
 * stack (3 resources). `test/infra/stacks.test.ts` fails at 400 resources or 180 outputs in any
 * stack, so a group holds about 66 routes: give a new first segment with several routes a group
 * of its own well before that. Moving a segment to another group replaces its functions (and, in prod,
 * leaves their old log groups behind), so prefer a new group for new segments over reshuffling.
 */
export const ROUTE_GROUPS: Readonly<Record<string, readonly string[]>> = {
  Accounts: ['auth', 'users', 'contact'],
  Estate: ['operators', 'platform', 'carparks'],
  Tenancies: ['tenancies', 'plates'],
  Billing: ['billing', 'xero', 'webhooks'],
};

/** Routes whose first path segment no group lists (`/health`, `/openapi.json`, `/config`, new ones). */
export const DEFAULT_ROUTE_GROUP = 'Misc';

/** The group of a route path: `/tenancies/{tenancyId}` is in `Tenancies`. */
export function routeGroupOf(path: string): string {
  const segment = path.split('/')[1] ?? '';
  const found = Object.entries(ROUTE_GROUPS).find(([, segments]) => segments.includes(segment));
  return found ? found[0] : DEFAULT_ROUTE_GROUP;
}

/**
 * A nested stack of the API stack holding the functions of one route group (with their roles,
 * policies, log groups and alarms). The API stack passes it nothing by parameter: the functions
 * import the table, secrets, bus, state machines and alarm topic through the same exports the API
 * stack would use, and the API stack reads each function's ARN and name through this stack's
 * outputs (for the integrations, invoke permissions and dashboard).
 */
export class RouteGroupStack extends NestedStack {
  readonly group: string;

  constructor(scope: Construct, group: string) {
    super(scope, `${group}Routes`, { description: `The functions of the API's ${group} routes, with their roles, log groups and alarms` });
    this.group = group;
  }
}
