/** Wiring for the paid-invoice consumer: DynamoDB and SES. */
import { systemClock } from '../../domain/clock';
import type { PaymentDeps } from '../../domain/payments';
import { paymentStore } from '../dynamodb/payment-store';
import { carparkRepository, userRepository } from '../dynamodb/repositories';
import { tenancyRepository } from '../dynamodb/tenancy-repository';
import { sesMailer } from '../ses-mailer';

export const paymentDeps: PaymentDeps = {
  payments: paymentStore,
  users: userRepository,
  tenancies: tenancyRepository,
  carparks: carparkRepository,
  mailer: sesMailer,
  clock: systemClock,
};
