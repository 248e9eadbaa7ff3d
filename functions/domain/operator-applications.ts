/**
 * Operator onboarding: a tenant applies to run car parks (their company, a contact and their first
 * car park); an admin approves or rejects. Approval creates the operator, makes the applicant its
 * operator user and creates the first car park with its Stripe prices. Nothing of the application
 * is public before that: the car park exists only once approved, so an unapproved operator's car
 * park is never listed.
 *
 * One open application per user (a conditional write). Approval and rejection are conditional on
 * the application still being pending, so two decisions sent at once make one: one operator, one
 * email. Approval holds a short lease while it works; every step under it is idempotent (the
 * operator and car park ids are derived from the application's), so a retry after a failure part
 * way finishes the job instead of doubling it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { escapeHtml, enforceLimits } from './accounts';
import { createCarparkFor, type CarparkWriteDeps, type CreateCarparkInput } from './carpark-admin';
import { assertPricesMatchCapacity } from './carparks';
import type { Clock } from './clock';
import { ConflictError, ForbiddenError, NotFoundError } from './errors';
import { isAdmin, type Principal } from './identity';
import type { Operator } from './operators';
import type { Mailer, Page, RateLimiter, UserRepository } from './ports';
import { tokenVersionOf } from './users';

export const APPLICATION_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** Applications a user may send per day (each emails the admins): a rejected applicant may try again, not flood. */
export const APPLICATION_LIMIT = { perUser: 3, windowMs: 24 * 60 * 60 * 1000 } as const;
/** How long an approval in progress keeps others off; a retry after it resumes the approval. */
export const APPROVAL_LEASE_MS = 60 * 1000;

/** The first car park, as a car park is created (its time zone the default). */
export type FirstCarpark = Omit<CreateCarparkInput, 'operatorId' | 'timeZone'>;

export interface OperatorApplication {
  readonly applicationId: string;
  readonly userId: string;
  /** The applicant's login email and name when they applied: where the decision is sent. */
  readonly applicantEmail: string;
  readonly applicantName: string;
  readonly companyName: string;
  readonly contactName: string;
  readonly contactPhone: string;
  readonly carpark: FirstCarpark;
  readonly status: ApplicationStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly decidedAt?: string;
  readonly decidedBy?: string;
  readonly rejectionReason?: string;
  /** Set on approval: the operator and car park it created. */
  readonly operatorId?: string;
  readonly carparkId?: string;
  /** An approval in progress: who holds it (a random id) and until when. */
  readonly approvalLease?: string;
  readonly approvalLeaseUntil?: string;
}

export type ApplicationView = Omit<OperatorApplication, 'approvalLease' | 'approvalLeaseUntil'>;

export type Decision =
  | { readonly status: 'approved'; readonly operatorId: string; readonly carparkId: string; readonly decidedAt: string; readonly decidedBy: string }
  | { readonly status: 'rejected'; readonly rejectionReason: string; readonly decidedAt: string; readonly decidedBy: string };

export interface OperatorApplicationStore {
  /** Saves a new pending application; ConflictError `application_pending` while the user has one open. */
  create(application: OperatorApplication): Promise<void>;
  get(applicationId: string): Promise<OperatorApplication | undefined>;
  /** The user's newest application, whatever its status. */
  latestOf(userId: string): Promise<OperatorApplication | undefined>;
  /** Applications of one status, oldest first. */
  list(query: { status: ApplicationStatus; limit: number; cursor?: string }): Promise<Page<OperatorApplication>>;
  /**
   * Takes the approval lease if the application is pending and nobody holds a live lease; the
   * application as it now is, or undefined when it is decided or being approved by someone else.
   */
  claimApproval(applicationId: string, lease: { id: string; until: string; now: string }): Promise<OperatorApplication | undefined>;
  /** Gives the lease back (an approval that failed part way). */
  releaseApproval(applicationId: string, leaseId: string): Promise<void>;
  /**
   * Records the decision if still pending (and, for an approval, the lease is `leaseId`'s; for a
   * rejection, nobody holds a live lease at `now`), closing the user's open application at once.
   * The decided application, or undefined when the condition failed.
   */
  decide(applicationId: string, decision: Decision, guard: { leaseId?: string; now: string }): Promise<OperatorApplication | undefined>;
}

interface ApplicationMail {
  readonly mailer: Mailer;
  /** An absolute link to a page of the web app, e.g. `pageUrl('console/carparks')`. */
  readonly pageUrl: (path: string) => string;
}

export interface ApplyDeps extends ApplicationMail {
  readonly applications: Pick<OperatorApplicationStore, 'create'>;
  readonly users: Pick<UserRepository, 'get'>;
  readonly limits: RateLimiter;
  /** Where admins are told of a new application. */
  readonly adminAlertEmail: string;
  readonly clock: Clock;
}

export interface DecideDeps extends ApplicationMail {
  readonly applications: OperatorApplicationStore;
  readonly clock: Clock;
}

export interface ApproveDeps extends DecideDeps, CarparkWriteDeps {
  readonly users: Pick<UserRepository, 'get' | 'update'>;
}

export interface ApplyInput {
  readonly companyName: string;
  readonly contactName: string;
  readonly contactPhone: string;
  readonly carpark: FirstCarpark;
}

export function toApplicationView(application: OperatorApplication): ApplicationView {
  const { approvalLease: _lease, approvalLeaseUntil: _until, ...view } = application;
  return view;
}

/** Ids are derived from the application's, so every retry of an approval names the same objects. */
export function approvalIds(applicationId: string): { operatorId: string; carparkId: string } {
  const derive = (what: string) => createHash('sha256').update(`${applicationId}:${what}`).digest('hex').slice(0, 20);
  return { operatorId: `op_${derive('operator')}`, carparkId: `cp_${derive('carpark')}` };
}

export const newApplicationId = (): string => `app_${randomBytes(10).toString('hex')}`;

const decidedConflict = () =>
  new ConflictError('application_decided', 'This application has been decided already, or is being approved right now. Read it again.');

// --- applying ------------------------------------------------------------------------------------

export async function applyToOperate(deps: ApplyDeps, caller: Principal, input: ApplyInput): Promise<ApplicationView> {
  if (caller.role !== 'tenant') throw new ForbiddenError('Only a tenant account can apply; this account already runs or oversees car parks.');
  assertPricesMatchCapacity(input.carpark.prices, input.carpark.capacity);
  const now = deps.clock.now();
  await enforceLimits(
    deps.limits,
    now,
    APPLICATION_LIMIT.windowMs,
    [{ subject: `operatorApplication#${caller.userId}`, max: APPLICATION_LIMIT.perUser }],
    'Too many applications today. Try again tomorrow.',
  );
  const user = await deps.users.get(caller.userId);
  if (!user) throw new NotFoundError('User');
  const at = now.toISOString();
  const application: OperatorApplication = {
    applicationId: newApplicationId(),
    userId: user.userId,
    applicantEmail: user.email,
    applicantName: user.name,
    companyName: input.companyName,
    contactName: input.contactName,
    contactPhone: input.contactPhone,
    carpark: { ...input.carpark, supportEmail: input.carpark.supportEmail.trim().toLowerCase() },
    status: 'pending',
    createdAt: at,
    updatedAt: at,
  };
  await deps.applications.create(application);

  const statusLink = deps.pageUrl('become-operator');
  await deps.mailer.send({
    to: application.applicantEmail,
    subject: `We have your application to run ${application.carpark.name} on Carpark Tenancy`,
    text: `Hello ${application.applicantName},\n\nThank you for applying to list ${application.carpark.name} for ${application.companyName}. An admin will look at it soon and we will email you the decision.\n\nSee its status at any time:\n${statusLink}`,
    html: `<p>Hello ${escapeHtml(application.applicantName)},</p><p>Thank you for applying to list ${escapeHtml(application.carpark.name)} for ${escapeHtml(application.companyName)}. An admin will look at it soon and we will email you the decision.</p><p><a href="${escapeHtml(statusLink)}">See your application</a></p>`,
  });
  const reviewLink = deps.pageUrl('console/applications');
  await deps.mailer.send({
    to: deps.adminAlertEmail,
    subject: `New operator application: ${application.companyName} (${application.applicationId})`,
    text: `${application.contactName} of ${application.companyName} (${application.applicantEmail}, ${application.contactPhone}) applied to list ${application.carpark.name}, ${application.carpark.address.city}.\n\nReview it:\n${reviewLink}`,
    html: `<p>${escapeHtml(application.contactName)} of ${escapeHtml(application.companyName)} (${escapeHtml(application.applicantEmail)}, ${escapeHtml(application.contactPhone)}) applied to list ${escapeHtml(application.carpark.name)}, ${escapeHtml(application.carpark.address.city)}.</p><p><a href="${escapeHtml(reviewLink)}">Review it</a></p>`,
  });
  return toApplicationView(application);
}

export async function myApplication(
  deps: { applications: Pick<OperatorApplicationStore, 'latestOf'> },
  caller: Principal,
): Promise<{ application: ApplicationView | null }> {
  const found = await deps.applications.latestOf(caller.userId);
  return { application: found ? toApplicationView(found) : null };
}

export async function listApplications(
  deps: { applications: Pick<OperatorApplicationStore, 'list'> },
  caller: Principal,
  query: { status: ApplicationStatus; limit: number; cursor?: string },
): Promise<Page<ApplicationView>> {
  if (!isAdmin(caller)) throw new ForbiddenError('Only an admin can review operator applications.');
  const page = await deps.applications.list(query);
  return { ...page, items: page.items.map(toApplicationView) };
}

// --- deciding --------------------------------------------------------------------------------------

export async function approveApplication(deps: ApproveDeps, caller: Principal, applicationId: string): Promise<ApplicationView> {
  if (!isAdmin(caller)) throw new ForbiddenError('Only an admin can approve operator applications.');
  const now = deps.clock.now();
  const lease = { id: randomBytes(8).toString('hex'), until: new Date(now.getTime() + APPROVAL_LEASE_MS).toISOString(), now: now.toISOString() };
  const application = await deps.applications.claimApproval(applicationId, lease);
  if (!application) {
    if (!(await deps.applications.get(applicationId))) throw new NotFoundError('Application');
    throw decidedConflict();
  }

  const { operatorId, carparkId } = approvalIds(applicationId);
  try {
    const user = await deps.users.get(application.userId);
    if (!user) throw new NotFoundError('User');
    if (user.role === 'admin') throw new ConflictError('applicant_is_admin', 'The applicant is an admin now; an admin cannot also be an operator user.');
    if (!(await deps.operators.get(operatorId))) {
      const operator: Operator = { operatorId, name: application.companyName, contactEmail: application.applicantEmail, createdAt: lease.now };
      await deps.operators.create(operator);
    }
    if (!(await deps.carparks.get(carparkId))) await createCarparkFor(deps, operatorId, application.carpark, carparkId);
    if (user.role !== 'operator' || user.operatorId !== operatorId) {
      // A new role ends the applicant's sessions: their next login carries it.
      await deps.users.update(user, { role: 'operator', operatorId, tokenVersion: tokenVersionOf(user) + 1, updatedAt: lease.now });
    }
  } catch (error) {
    await deps.applications.releaseApproval(applicationId, lease.id);
    throw error;
  }

  const decided = await deps.applications.decide(
    applicationId,
    { status: 'approved', operatorId, carparkId, decidedAt: deps.clock.now().toISOString(), decidedBy: caller.userId },
    { leaseId: lease.id, now: lease.now },
  );
  // Decided by someone else meanwhile (a lease that ran out): they sent the email.
  if (!decided) throw decidedConflict();
  const consoleLink = deps.pageUrl('console/carparks');
  await deps.mailer.send({
    to: decided.applicantEmail,
    subject: `Approved: ${decided.companyName} runs ${decided.carpark.name} on Carpark Tenancy`,
    text: `Hello ${decided.applicantName},\n\nYour application is approved. ${decided.companyName} is now an operator and ${decided.carpark.name} is listed for tenants.\n\nLog in again to open the console and manage your car park:\n${consoleLink}`,
    html: `<p>Hello ${escapeHtml(decided.applicantName)},</p><p>Your application is approved. ${escapeHtml(decided.companyName)} is now an operator and ${escapeHtml(decided.carpark.name)} is listed for tenants.</p><p>Log in again to open the console and manage your car park:</p><p><a href="${escapeHtml(consoleLink)}">Open the console</a></p>`,
  });
  return toApplicationView(decided);
}

export async function rejectApplication(
  deps: DecideDeps,
  caller: Principal,
  applicationId: string,
  input: { reason: string },
): Promise<ApplicationView> {
  if (!isAdmin(caller)) throw new ForbiddenError('Only an admin can reject operator applications.');
  const now = deps.clock.now().toISOString();
  const decided = await deps.applications.decide(
    applicationId,
    { status: 'rejected', rejectionReason: input.reason, decidedAt: now, decidedBy: caller.userId },
    { now },
  );
  if (!decided) {
    if (!(await deps.applications.get(applicationId))) throw new NotFoundError('Application');
    throw decidedConflict();
  }
  const statusLink = deps.pageUrl('become-operator');
  await deps.mailer.send({
    to: decided.applicantEmail,
    subject: `Your application to run ${decided.carpark.name} on Carpark Tenancy`,
    text: `Hello ${decided.applicantName},\n\nWe are sorry: your application for ${decided.companyName} was not approved.\n\nThe reason: ${input.reason}\n\nYou may apply again:\n${statusLink}`,
    html: `<p>Hello ${escapeHtml(decided.applicantName)},</p><p>We are sorry: your application for ${escapeHtml(decided.companyName)} was not approved.</p><p>The reason: ${escapeHtml(input.reason)}</p><p><a href="${escapeHtml(statusLink)}">Apply again</a></p>`,
  });
  return toApplicationView(decided);
}
