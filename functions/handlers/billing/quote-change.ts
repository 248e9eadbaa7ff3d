import { quoteChange, quoteRequestOf } from '../../domain/quotes';
import { billingRepository } from '../../adapters/dynamodb/billing-repository';
import { carparkRepository } from '../../adapters/dynamodb/repositories';
import { tenancyRepository } from '../../adapters/dynamodb/tenancy-repository';
import { stripeGateway } from '../../adapters/stripe/gateway';
import { systemClock } from '../../domain/clock';
import { httpRoute } from '../../http/route';

const deps = { billing: billingRepository, payments: stripeGateway, carparks: carparkRepository, tenancies: tenancyRepository, clock: systemClock };

export const handler = httpRoute('QuoteChange', ({ caller, body }) => quoteChange(deps, caller, quoteRequestOf(body)));
