import { Logger } from '@aws-lambda-powertools/logger';

/** Structured JSON logs; the Lambda request id is added per invocation by the route adapter. */
export const logger = new Logger({ serviceName: 'carpark-tenancy' });
