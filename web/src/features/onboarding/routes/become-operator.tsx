/**
 * Become an operator: a tenant applies with their company, a contact and their first car park,
 * then sees the application's status here (the decision is also emailed). The car park is
 * created, and listed, only once an admin approves.
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { AddressFields, addressFrom, carparkFieldNames, CurrencyField, parseSpaces, SpacesAndPrices } from '../../../components/carpark-fields';
import { FormError, formValues, SubmitButton, TextField } from '../../../components/form';
import { Page } from '../../../components/page';
import { Loading, Notice, QueryError } from '../../../components/status';
import { ApiError } from '../../../lib/api-client';
import { canUseConsole, RequireSession, useSession } from '../../../lib/auth';
import { longDate } from '../../../lib/format';
import { useApply, useMyApplication, type ApplyBody } from '../api';

export default function BecomeOperatorRoute() {
  return (
    <RequireSession>
      <BecomeOperator />
    </RequireSession>
  );
}

function BecomeOperator() {
  const session = useSession()!;
  if (canUseConsole(session)) {
    return (
      <Page title="Become an operator">
        <Notice>
          Your account already runs car parks. <Link to="/console">Open the console</Link>.
        </Notice>
      </Page>
    );
  }
  return <Application />;
}

function Application() {
  const mine = useMyApplication();
  const [justSent, setJustSent] = useState(false);
  if (mine.isPending) return <Loading label="Loading your application…" />;
  if (mine.isError) return <QueryError error={mine.error} retry={() => void mine.refetch()} />;
  const application = mine.data.application;
  return (
    <Page title="Become an operator" lead="List your car park on Carpark Tenancy and let its spaces by the month.">
      {application && (
        <section className="card" aria-labelledby="status-heading" data-testid="application-status">
          <h2 id="status-heading">Your application</h2>
          {application.status === 'pending' && (
            <Notice tone={justSent ? 'ok' : 'info'}>
              {justSent ? 'Your application is sent. ' : ''}Your application for {application.companyName} to list{' '}
              {application.carpark.name} is waiting for a decision. We will email you at {application.applicantEmail}.
            </Notice>
          )}
          {application.status === 'approved' && (
            <Notice tone="ok">
              Approved on {longDate(application.decidedAt ?? application.updatedAt)}: {application.companyName} is an operator and{' '}
              {application.carpark.name} is listed. Log in again to open the console.
            </Notice>
          )}
          {application.status === 'rejected' && (
            <Notice tone="warn">
              Your application for {application.companyName} was not approved. The reason: {application.rejectionReason}
            </Notice>
          )}
          <p className="muted">Sent on {longDate(application.createdAt)}.</p>
        </section>
      )}
      {(!application || application.status === 'rejected') && <ApplicationForm again={Boolean(application)} onSent={() => setJustSent(true)} />}
    </Page>
  );
}

function ApplicationForm({ again, onSent }: { again: boolean; onSent: () => void }) {
  const apply = useApply();
  const [localError, setLocalError] = useState<ApiError>();
  const error = localError ?? apply.error;
  return (
    <form
      className="card form"
      aria-labelledby="apply-heading"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const values = formValues(event.currentTarget);
        const { prices, capacity, problems } = parseSpaces(values, 'carpark.');
        if (problems.length > 0) {
          setLocalError(new ApiError(422, { error: { code: 'validation_failed', message: 'Check the spaces and prices.', details: problems } }));
          return;
        }
        setLocalError(undefined);
        const body: ApplyBody = {
          companyName: values.companyName ?? '',
          contactName: values.contactName ?? '',
          contactPhone: values.contactPhone ?? '',
          carpark: {
            name: values['carpark.name'] ?? '',
            address: addressFrom(values, 'carpark.'),
            currency: (values['carpark.currency'] ?? 'gbp') as ApplyBody['carpark']['currency'],
            prices,
            capacity,
            smartParkingSiteId: values['carpark.smartParkingSiteId'] ?? '',
            supportEmail: values['carpark.supportEmail'] ?? '',
          },
        };
        apply.mutate(body, { onSuccess: onSent });
      }}
    >
      <h2 id="apply-heading">{again ? 'Apply again' : 'Apply'}</h2>
      <p className="hint">An admin reviews every application. Your car park is listed once it is approved.</p>
      <FormError error={error} shownFields={['companyName', 'contactName', 'contactPhone', ...carparkFieldNames('carpark.')]} />
      <fieldset className="field">
        <legend>Your company</legend>
        <TextField label="Company name" name="companyName" autoComplete="organization" required error={error} />
        <TextField label="Contact name" name="contactName" autoComplete="name" required error={error} />
        <TextField label="Contact phone" name="contactPhone" type="tel" autoComplete="tel" required error={error} />
      </fieldset>
      <h3>Your first car park</h3>
      <TextField label="Car park name" name="carpark.name" required error={error} />
      <AddressFields prefix="carpark." error={error} />
      <CurrencyField prefix="carpark." error={error} />
      <SpacesAndPrices prefix="carpark." error={error} />
      <TextField
        label="Barrier site id"
        name="carpark.smartParkingSiteId"
        hint="The SmartParking site id of the car park’s barrier, e.g. SP-LEEDS-001"
        required
        error={error}
      />
      <TextField label="Support email" name="carpark.supportEmail" type="email" hint="Where tenants’ questions about the car park go" required error={error} />
      <SubmitButton pending={apply.isPending} pendingText="Sending…">
        Send application
      </SubmitButton>
    </form>
  );
}
