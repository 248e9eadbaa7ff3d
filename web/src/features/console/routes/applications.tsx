/**
 * Admins: operator applications waiting for a decision, oldest first. Approving (after a
 * confirmation) creates the operator and its first car park; rejecting asks for the reason the
 * applicant is emailed. What happened is said in a status message above the list.
 */
import { useState, type ReactNode } from 'react';
import { FormError, SubmitButton, TextAreaField } from '../../../components/form';
import { Page } from '../../../components/page';
import { Loading, Notice, QueryError } from '../../../components/status';
import { RequireConsole } from '../../../lib/auth';
import { money, shortDate, vehicleTypeName } from '../../../lib/format';
import { useApplicationPage, useDecideApplication, VEHICLE_TYPES, type OperatorApplication } from '../api';
import { ConsoleNav } from '../components/console-nav';
import { PageButtons, useCursorPages } from '../components/cursor-pages';

export default function ConsoleApplicationsRoute() {
  return (
    <RequireConsole adminOnly>
      <ConsoleNav />
      <ConsoleApplications />
    </RequireConsole>
  );
}

function ConsoleApplications() {
  const pages = useCursorPages();
  const page = useApplicationPage(pages.cursor);
  const [outcome, setOutcome] = useState<string>();
  return (
    <Page title="Operator applications" lead="Companies asking to list their car parks, oldest first.">
      {outcome && <Notice tone="ok">{outcome}</Notice>}
      {page.isPending && <Loading label="Loading applications…" />}
      {page.isError && <QueryError error={page.error} retry={() => void page.refetch()} />}
      {page.data && (
        <section aria-labelledby="applications-heading" data-testid="console-applications">
          <h2 id="applications-heading">Waiting for a decision, page {pages.pageNumber}</h2>
          {page.data.items.length === 0 ? (
            <p>No applications are waiting.</p>
          ) : (
            <ul className="card-list">
              {page.data.items.map((application) => (
                <li key={application.applicationId}>
                  <ApplicationCard application={application} onDecided={setOutcome} />
                </li>
              ))}
            </ul>
          )}
          <PageButtons pages={pages} nextCursor={page.data.nextCursor} loading={page.isPlaceholderData} />
        </section>
      )}
    </Page>
  );
}

function ApplicationCard({ application, onDecided }: { application: OperatorApplication; onDecided: (message: string) => void }) {
  const decide = useDecideApplication();
  const [step, setStep] = useState<'idle' | 'approve' | 'reject'>('idle');
  const { carpark } = application;
  const headingId = `application-${application.applicationId}`;
  return (
    <section className="card" aria-labelledby={headingId}>
      <h3 id={headingId}>{application.companyName}</h3>
      <dl className="facts">
        <dt>Contact</dt>
        <dd>
          {application.contactName}, {application.contactPhone}, {application.applicantEmail}
        </dd>
        <dt>Applied</dt>
        <dd>{shortDate(application.createdAt)}</dd>
        <dt>First car park</dt>
        <dd>
          {carpark.name}, {carpark.address.line1}, {carpark.address.city} {carpark.address.postcode}
        </dd>
        <dt>Spaces and prices</dt>
        <dd>
          {VEHICLE_TYPES.filter((t) => carpark.prices[t] !== undefined)
            .map((t) => `${vehicleTypeName(t)}: ${carpark.capacity[t] ?? 0} at ${money(carpark.prices[t]!, carpark.currency)} a month`)
            .join('; ')}
        </dd>
        <dt>Barrier site id</dt>
        <dd>{carpark.smartParkingSiteId}</dd>
        <dt>Support email</dt>
        <dd>{carpark.supportEmail}</dd>
      </dl>
      <FormError error={decide.error} />
      {step === 'idle' && (
        <p className="actions">
          <button type="button" onClick={() => setStep('approve')}>
            Approve
          </button>
          <button type="button" className="secondary" onClick={() => setStep('reject')}>
            Reject
          </button>
        </p>
      )}
      {step === 'approve' && (
        <form
          aria-label={`Approve ${application.companyName}`}
          onSubmit={(event) => {
            event.preventDefault();
            decide.mutate(
              { applicationId: application.applicationId },
              { onSuccess: () => onDecided(`Approved ${application.companyName}: ${carpark.name} is listed and ${application.applicantEmail} has been emailed.`) },
            );
          }}
        >
          <p>
            Approve {application.companyName}? This creates the operator, lists {carpark.name} and makes {application.applicantEmail} its operator.
          </p>
          <ConfirmButtons pending={decide.isPending} pendingText="Approving…" cancel={() => setStep('idle')}>
            Confirm approval
          </ConfirmButtons>
        </form>
      )}
      {step === 'reject' && (
        <form
          className="form"
          noValidate
          aria-label={`Reject ${application.companyName}`}
          onSubmit={(event) => {
            event.preventDefault();
            const reason = String(new FormData(event.currentTarget).get('reason') ?? '');
            decide.mutate(
              { applicationId: application.applicationId, reject: { reason } },
              { onSuccess: () => onDecided(`Rejected ${application.companyName}; ${application.applicantEmail} has been emailed the reason.`) },
            );
          }}
        >
          <TextAreaField label="Reason for rejecting" name="reason" hint="Sent to the applicant." required error={decide.error} />
          <ConfirmButtons pending={decide.isPending} pendingText="Rejecting…" cancel={() => setStep('idle')}>
            Confirm rejection
          </ConfirmButtons>
        </form>
      )}
    </section>
  );
}

function ConfirmButtons({ pending, pendingText, cancel, children }: { pending: boolean; pendingText: string; cancel: () => void; children: ReactNode }) {
  return (
    <p className="actions">
      <SubmitButton pending={pending} pendingText={pendingText}>
        {children}
      </SubmitButton>
      <button type="button" className="secondary" onClick={cancel}>
        Cancel
      </button>
    </p>
  );
}
