/**
 * The workflow manifest: each Step Functions state machine, its ASL file, and the Lambda task
 * functions its `${...}` definition substitutions name. Read by the CDK (state machines, task
 * functions, grants) and by the offline twin (which runs the same ASL files locally), like the
 * route manifest.
 */
import type { FunctionAccess } from './routes';

export interface TaskFunctionSpec {
  /** Handler module, relative to `functions/`, exporting `handler(input) => output`. */
  readonly handler: string;
  readonly access: FunctionAccess;
}

export interface WorkflowSpec {
  /** Stable identifier; the CDK construct id and the local state machine name. */
  readonly id: string;
  /** ASL file, relative to `state-machines/`. */
  readonly definitionFile: string;
  /** Substitution key (as written in the ASL: `${Key}`) → the task function it stands for. */
  readonly tasks: Readonly<Record<string, TaskFunctionSpec>>;
  /** Env var through which API functions learn this machine's ARN. */
  readonly arnEnv: string;
}

/**
 * Task functions, one Lambda each; several workflows may use the same one (CDK creates it once,
 * keyed by handler). The substitution key in the ASL is `<Name>FunctionArn`.
 */
const READ_TENANCY = ['GetItem'] as const;
// A change to a tenancy puts its timeline event in the same transaction: PutItem beside UpdateItem.
export const taskFunctions = {
  BeginTenancyFunctionArn: {
    handler: 'handlers/tasks/begin-tenancy.ts',
    // A transaction of the tenancy's status, its billing line and account (UpdateItem each) and its timeline event (PutItem).
    access: { table: ['GetItem', 'PutItem', 'UpdateItem'] },
  },
  EnsureCustomerFunctionArn: {
    handler: 'handlers/tasks/ensure-customer.ts',
    access: { table: ['GetItem', 'Query', 'UpdateItem'], stripe: true },
  },
  AwaitAuthenticationFunctionArn: {
    handler: 'handlers/tasks/await-authentication.ts',
    // Reads the invoice (and voids one never confirmed); records the wait on the tenancy, and on its timeline.
    access: { table: ['GetItem', 'PutItem', 'UpdateItem'], stripe: true },
  },
  SyncBillingFunctionArn: {
    handler: 'handlers/tasks/sync-billing.ts',
    access: { table: ['GetItem', 'Query', 'UpdateItem'], stripe: true },
  },
  RegisterPlateFunctionArn: {
    handler: 'handlers/tasks/register-plate.ts',
    access: { table: ['GetItem', 'PutItem', 'UpdateItem'], smartParking: true },
  },
  RevokePlateFunctionArn: {
    handler: 'handlers/tasks/revoke-plate.ts',
    // A plate the tenancy gave up is revoked under a hold (PutItem, then DeleteItem), so a tenancy
    // claiming it meanwhile is never shut out; a removed plate is then forgotten (UpdateItem).
    access: { table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'], smartParking: true },
  },
  ActivateTenancyFunctionArn: {
    handler: 'handlers/tasks/activate-tenancy.ts',
    access: { table: ['GetItem', 'PutItem', 'UpdateItem'] },
  },
  FailSetupFunctionArn: {
    handler: 'handlers/tasks/fail-setup.ts',
    // The space given back is announced on the bus, for the car park's waitlist.
    access: { table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'], putsEvents: true },
  },
  ScheduleEndFunctionArn: {
    handler: 'handlers/tasks/schedule-end.ts',
    access: { table: ['GetItem', 'Query', 'UpdateItem'], stripe: true },
  },
  EndTenancyFunctionArn: {
    handler: 'handlers/tasks/end-tenancy.ts',
    // The space given back is announced on the bus, for the car park's waitlist.
    access: { table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'], putsEvents: true },
  },
  CommitPlateChangeFunctionArn: {
    handler: 'handlers/tasks/commit-plate-change.ts',
    access: { table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'] },
  },
  AbortPlateChangeFunctionArn: {
    handler: 'handlers/tasks/abort-plate-change.ts',
    access: { table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'] },
  },
  CommitVehicleChangeFunctionArn: {
    handler: 'handlers/tasks/commit-vehicle-change.ts',
    // The tenancy and the old type's space in one transaction; the freed space announced on the bus.
    access: { table: ['GetItem', 'UpdateItem'], putsEvents: true },
  },
  RevertVehicleChangeFunctionArn: {
    handler: 'handlers/tasks/revert-vehicle-change.ts',
    access: { table: ['GetItem', 'PutItem', 'UpdateItem'], putsEvents: true },
  },
  NotifyTenantFunctionArn: {
    handler: 'handlers/tasks/notify-tenant.ts',
    access: { table: READ_TENANCY, sendsEmail: true },
  },
  OpenArrearsFunctionArn: {
    handler: 'handlers/tasks/open-arrears.ts',
    // The failed payment goes on the billed tenancies' timelines (BatchWriteItem).
    access: { table: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'BatchWriteItem'], stripe: true, dunningSchedule: true },
  },
  RetryInvoicePaymentFunctionArn: {
    handler: 'handlers/tasks/retry-invoice-payment.ts',
    // Each try goes on the timelines of the tenant's billed tenancies (Query, BatchWriteItem).
    access: { table: ['GetItem', 'Query', 'UpdateItem', 'BatchWriteItem'], stripe: true },
  },
  SuspendForArrearsFunctionArn: {
    handler: 'handlers/tasks/suspend-for-arrears.ts',
    // PutItem and DeleteItem: the hold on a removed plate while it is revoked (barrier-plates.ts).
    access: { table: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'], stripe: true, smartParking: true },
  },
  SettleArrearsFunctionArn: {
    handler: 'handlers/tasks/settle-arrears.ts',
    access: { table: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'], smartParking: true, sendsEmail: true },
  },
  NotifyArrearsFunctionArn: {
    handler: 'handlers/tasks/notify-arrears.ts',
    access: { table: ['GetItem'], sendsEmail: true },
  },
  NotifyOfferFunctionArn: {
    handler: 'handlers/tasks/notify-offer.ts',
    access: { table: ['GetItem'], sendsEmail: true },
  },
  LapseOfferFunctionArn: {
    handler: 'handlers/tasks/lapse-offer.ts',
    // Resolves the offer and hands its space to the next in line (a transaction of Update, Delete
    // and Put) and emails the tenant whose offer lapsed. The next offer's run is started through
    // the bus (rule OfferMade): a task cannot start the workflow it belongs to without a cycle.
    access: { table: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'], sendsEmail: true, putsEvents: true },
  },
} as const satisfies Record<string, TaskFunctionSpec>;

const pick = <K extends keyof typeof taskFunctions>(...names: K[]) =>
  Object.fromEntries(names.map((name) => [name, taskFunctions[name] as TaskFunctionSpec])) as Record<K, TaskFunctionSpec>;

export const workflows = [
  {
    id: 'TenancySetup',
    definitionFile: 'tenancy-setup.asl.json',
    arnEnv: 'TENANCY_SETUP_STATE_MACHINE_ARN',
    tasks: pick(
      'BeginTenancyFunctionArn',
      'EnsureCustomerFunctionArn',
      'SyncBillingFunctionArn',
      'AwaitAuthenticationFunctionArn',
      'RegisterPlateFunctionArn',
      'ActivateTenancyFunctionArn',
      'NotifyTenantFunctionArn',
      'FailSetupFunctionArn',
      'RevokePlateFunctionArn',
    ),
  },
  {
    id: 'TenancyCancellation',
    definitionFile: 'tenancy-cancellation.asl.json',
    arnEnv: 'TENANCY_CANCELLATION_STATE_MACHINE_ARN',
    tasks: pick(
      'ScheduleEndFunctionArn',
      'NotifyTenantFunctionArn',
      'EndTenancyFunctionArn',
      'SyncBillingFunctionArn',
      'RevokePlateFunctionArn',
    ),
  },
  {
    id: 'PlateChange',
    definitionFile: 'plate-change.asl.json',
    arnEnv: 'PLATE_CHANGE_STATE_MACHINE_ARN',
    tasks: pick(
      'RegisterPlateFunctionArn',
      'CommitPlateChangeFunctionArn',
      'RevokePlateFunctionArn',
      'NotifyTenantFunctionArn',
      'AbortPlateChangeFunctionArn',
    ),
  },
  {
    id: 'VehicleChange',
    definitionFile: 'vehicle-change.asl.json',
    arnEnv: 'VEHICLE_CHANGE_STATE_MACHINE_ARN',
    tasks: pick(
      'SyncBillingFunctionArn',
      'CommitVehicleChangeFunctionArn',
      'RevertVehicleChangeFunctionArn',
      'NotifyTenantFunctionArn',
    ),
  },
  {
    id: 'InvoiceDunning',
    definitionFile: 'invoice-dunning.asl.json',
    arnEnv: 'INVOICE_DUNNING_STATE_MACHINE_ARN',
    tasks: pick(
      'OpenArrearsFunctionArn',
      'NotifyArrearsFunctionArn',
      'RetryInvoicePaymentFunctionArn',
      'SuspendForArrearsFunctionArn',
      'SettleArrearsFunctionArn',
    ),
  },
  {
    id: 'WaitlistOffer',
    definitionFile: 'waitlist-offer.asl.json',
    arnEnv: 'WAITLIST_OFFER_STATE_MACHINE_ARN',
    tasks: pick('NotifyOfferFunctionArn', 'LapseOfferFunctionArn'),
  },
] as const satisfies readonly WorkflowSpec[];

export type WorkflowId = (typeof workflows)[number]['id'];
