/** Wiring for creating and repricing car parks, which keeps their Stripe prices. */
import type { CarparkWriteDeps } from '../../domain/carpark-admin';
import { stripeGateway } from '../stripe/gateway';
import { carparkDeps } from './carparks';

export const carparkWriteDeps: CarparkWriteDeps = { ...carparkDeps, payments: stripeGateway };
