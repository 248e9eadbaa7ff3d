import { useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { FormError, SelectField, SubmitButton, TextField } from '../../../components/form';
import { Page } from '../../../components/page';
import { Loading, Notice, QueryError } from '../../../components/status';
import { RequireSession } from '../../../lib/auth';
import { longDate, money, tenancyStatusName, timeAndDay, vehicleTypeName } from '../../../lib/format';
import { pricedTypes, useCarpark, type Carpark, type VehicleType } from '../../carparks/api';
import { nextRenewal, useCancelTenancy, useQuote, useTenancy, useUndoCancellation, useUpdateTenancy, type PlateWarning, type Tenancy } from '../api';
import { QuoteSummary } from '../components/quote-summary';
import { PlateWarnings } from '../components/plate-warnings';
import { TenancyTimeline } from '../components/tenancy-timeline';
import { TenancyPrice } from '../components/tenancy-price';

export default function TenancyRoute() {
  return (
    <RequireSession>
      <TenancyPage />
    </RequireSession>
  );
}

interface NavigationState {
  readonly warnings?: PlateWarning[];
  readonly justRented?: boolean;
}

function TenancyPage() {
  const { tenancyId = '' } = useParams();
  const location = useLocation();
  const navigationState = (location.state ?? {}) as NavigationState;
  const [warnings, setWarnings] = useState<PlateWarning[]>(navigationState.warnings ?? []);
  const tenancy = useTenancy(tenancyId);
  const carpark = useCarpark(tenancy.data?.carparkId ?? '');

  if (tenancy.isPending) return <Loading label="Loading your tenancy…" />;
  if (tenancy.isError) return <QueryError error={tenancy.error} retry={() => void tenancy.refetch()} />;
  const t = tenancy.data;
  const name = carpark.data?.name ?? 'Your tenancy';
  const live = t.status === 'active' || t.status === 'cancelling' || t.status === 'suspended';

  return (
    <Page title={`${name}: ${t.plate}`}>
      {navigationState.justRented && t.status === 'pending' && !t.awaitingAuthentication && (
        <Notice>Thank you. We are taking the first payment and adding your plate to the barrier: this page updates by itself.</Notice>
      )}
      {t.status === 'pending' && t.awaitingAuthentication?.withdrawn && (
        <Notice>You cancelled this rental: we are voiding the unconfirmed payment and giving the space back. This page updates by itself.</Notice>
      )}
      {t.status === 'pending' && t.awaitingAuthentication && !t.awaitingAuthentication.withdrawn && (
        <div className="alert alert-warn" role="status" data-testid="confirm-payment">
          <p>
            <strong>Your bank asks you to confirm the first payment.</strong> Your space is held until{' '}
            {timeAndDay(t.awaitingAuthentication.until)}; the barrier opens for {t.plate} once the payment is confirmed.
          </p>
          <p>
            <Link className="button" to={`/my/billing/authenticate/${encodeURIComponent(t.awaitingAuthentication.invoiceId)}`}>
              Confirm the payment
            </Link>
          </p>
        </div>
      )}
      {navigationState.justRented && t.status === 'scheduled' && (
        <Notice tone="ok">
          Thank you: your space is booked. On {longDate(t.startDate)} we take the first payment and add your plate to the barrier;
          nothing is charged before then.
        </Notice>
      )}
      <PlateWarnings
        plate={t.plate}
        warnings={warnings}
        remedy={
          t.status === 'scheduled'
            ? 'If it is wrong, cancel the booking below and book again with the right plate.'
            : undefined
        }
      />
      <TenancySummary tenancy={t} />
      {(t.status === 'scheduled' || (t.status === 'pending' && t.awaitingAuthentication && !t.awaitingAuthentication.withdrawn)) && (
        <Cancellation tenancy={t} />
      )}
      {live && carpark.data && (
        <>
          {t.status !== 'suspended' && <ChangePlate tenancy={t} onWarnings={setWarnings} />}
          {t.status === 'active' && <ChangeVehicleType tenancy={t} carpark={carpark.data} />}
          <Cancellation tenancy={t} />
        </>
      )}
      <TenancyTimeline tenancyId={t.tenancyId} version={t.updatedAt} />
      <p>
        <Link to="/my/tenancies">All my tenancies</Link>
      </p>
    </Page>
  );
}

function TenancySummary({ tenancy: t }: { tenancy: Tenancy }) {
  const renewsAt = nextRenewal(t);
  return (
    <section className="card" aria-labelledby="summary-heading">
      <h2 id="summary-heading">Summary</h2>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <span className={`status status-${t.status}`} data-testid="tenancy-status">
            {tenancyStatusName(t.status)}
          </span>
          {t.status === 'pending' && !t.awaitingAuthentication && <span className="muted"> (this takes a few seconds)</span>}
          {t.status === 'pending' && t.awaitingAuthentication && (
            <span className="muted">{t.awaitingAuthentication.withdrawn ? ' (cancelling…)' : ' (waiting for you to confirm the payment)'}</span>
          )}
          {t.failureReason && <span className="field-error"> {t.failureReason}</span>}
        </dd>
        <dt>At the barrier</dt>
        <dd data-testid="barrier">
          {t.status === 'scheduled'
            ? `Added to the barrier on ${longDate(t.startDate)}`
            : t.status === 'failed'
            ? 'Not let in: the tenancy did not start'
            : t.status === 'pending' && t.awaitingAuthentication?.withdrawn
            ? 'Not added: you cancelled the rental'
            : t.status === 'pending' && t.awaitingAuthentication
            ? 'Added to the barrier once the payment is confirmed'
            : t.barrier.status === 'registered'
            ? `Live at the barrier since ${timeAndDay(t.barrier.changedAt)}`
            : t.barrier.status === 'pending'
              ? 'Being added to the barrier…'
              : `Not let in since ${timeAndDay(t.barrier.changedAt)}`}
        </dd>
        <dt>Plate</dt>
        <dd>
          <span className="plate">{t.plate}</span>
          {t.pendingPlate && <span className="muted"> (changing to {t.pendingPlate}…)</span>}
        </dd>
        <dt>Vehicle type</dt>
        <dd>{vehicleTypeName(t.vehicleType)}</dd>
        <dt>Price</dt>
        <dd>
          <TenancyPrice tenancy={t} />
        </dd>
        <dt>{t.status === 'scheduled' ? 'Starts' : 'Started'}</dt>
        <dd>{longDate(t.startDate)}</dd>
        {renewsAt && (
          <>
            <dt>Next renewal</dt>
            <dd data-testid="renews-at">{longDate(renewsAt)}</dd>
          </>
        )}
        {t.endsAt && (
          <>
            <dt>{t.status === 'ended' ? 'Ended' : 'Ends'}</dt>
            <dd data-testid="ends-at">{longDate(t.endsAt)}</dd>
          </>
        )}
        {t.arrears && (
          <>
            <dt>Arrears</dt>
            <dd className="field-error">
              {t.arrears.amountDue !== undefined && t.arrears.currency ? `${money(t.arrears.amountDue, t.arrears.currency)} ` : 'An invoice '}
              unpaid since {longDate(t.arrears.since)}
              {t.arrears.state === 'suspended' ? '; access is suspended until it is paid. ' : '. '}
              <Link to={`/my/billing?pay=${encodeURIComponent(t.arrears.invoiceId ?? '')}`}>Pay now</Link>
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}

function ChangePlate({ tenancy, onWarnings }: { tenancy: Tenancy; onWarnings: (warnings: PlateWarning[]) => void }) {
  const update = useUpdateTenancy(tenancy.tenancyId);
  return (
    <section className="card" aria-labelledby="plate-heading">
      <h2 id="plate-heading">Change plate</h2>
      {update.isSuccess && <Notice tone="ok">Your new plate is on its way to the barrier.</Notice>}
      <form
        className="form inline-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const form = event.currentTarget;
          const plate = String(new FormData(form).get('plate') ?? '');
          update.mutate({ plate }, { onSuccess: ({ warnings }) => (onWarnings(warnings), form.reset()) });
        }}
      >
        <FormError error={update.error} shownFields={['plate']} />
        <TextField label="New plate" name="plate" required autoComplete="off" spellCheck={false} className="plate-input" error={update.error} />
        <SubmitButton pending={update.isPending} pendingText="Changing…">
          Change plate
        </SubmitButton>
      </form>
    </section>
  );
}

function ChangeVehicleType({ tenancy, carpark }: { tenancy: Tenancy; carpark: Carpark }) {
  const update = useUpdateTenancy(tenancy.tenancyId);
  const others = pricedTypes(carpark).filter((t) => t.type !== tenancy.vehicleType);
  const [choice, setChoice] = useState<VehicleType | ''>('');
  const chosen = others.find((t) => t.type === choice);
  const quote = useQuote(chosen && chosen.free > 0 ? { kind: 'vehicle_change', tenancyId: tenancy.tenancyId, vehicleType: chosen.type } : undefined);
  if (others.length === 0) return null;
  return (
    <section className="card" aria-labelledby="vehicle-heading">
      <h2 id="vehicle-heading">Change vehicle type</h2>
      {update.isSuccess && <Notice tone="ok">Your vehicle type is changed.</Notice>}
      <form
        className="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (chosen) update.mutate({ vehicleType: chosen.type, ...(quote.data && { quotedAt: quote.data.quotedAt }) }, { onSuccess: () => setChoice('') });
        }}
      >
        <FormError error={update.error} shownFields={['vehicleType']} />
        <SelectField
          label="New vehicle type"
          name="vehicleType"
          value={choice}
          onChange={(event) => setChoice(event.currentTarget.value as VehicleType | '')}
          error={update.error}
        >
          <option value="">Choose…</option>
          {others.map(({ type, price, free }) => (
            <option key={type} value={type} disabled={free === 0}>
              {vehicleTypeName(type)}: {money(price, carpark.currency)} a month{free === 0 ? ' (full)' : ''}
            </option>
          ))}
        </SelectField>
        {chosen && (
          <div aria-live="polite">
            <p data-testid="new-price">
              New price: <strong>{money(chosen.price, carpark.currency)} a month</strong> instead of{' '}
              {money(tenancy.monthlyAmount, tenancy.currency)}.
            </p>
            <div className="summary">
              <QuoteSummary quote={quote} />
            </div>
          </div>
        )}
        <SubmitButton pending={update.isPending} pendingText="Changing…" disabled={chosen !== undefined && (!quote.data || quote.isFetching)}>
          {chosen ? `Change to ${vehicleTypeName(chosen.type)} at ${money(chosen.price, carpark.currency)} a month` : 'Change vehicle type'}
        </SubmitButton>
      </form>
    </section>
  );
}

function Cancellation({ tenancy }: { tenancy: Tenancy }) {
  const cancel = useCancelTenancy(tenancy.tenancyId);
  const undo = useUndoCancellation(tenancy.tenancyId);
  const [confirming, setConfirming] = useState(false);
  // What cancelling an active tenancy leaves to pay, shown with the question.
  const quote = useQuote(confirming && tenancy.status === 'active' ? { kind: 'cancel', tenancyId: tenancy.tenancyId } : undefined);

  if (tenancy.status === 'cancelling') {
    return (
      <section className="card" aria-labelledby="cancel-heading">
        <h2 id="cancel-heading">Cancelled</h2>
        {tenancy.endsAt ? (
          <p data-testid="cancel-notice">
            Your tenancy ends on <strong>{longDate(tenancy.endsAt)}</strong>. Until then the barrier still lets you in.
          </p>
        ) : (
          <p role="status">Your tenancy is cancelled. Working out its last day…</p>
        )}
        <FormError error={undo.error} />
        <button type="button" disabled={undo.isPending} onClick={() => undo.mutate()}>
          {undo.isPending ? 'Keeping your space…' : 'Undo cancellation and keep my space'}
        </button>
      </section>
    );
  }
  const booked = tenancy.status === 'scheduled';
  const unconfirmed = tenancy.status === 'pending' && tenancy.awaitingAuthentication !== undefined;
  if (!booked && !unconfirmed && tenancy.status !== 'active') return null;
  // A booking, or a rental whose first payment the bank still holds, ends at once with nothing
  // charged; a tenancy runs to the end of its paid month.
  const words = unconfirmed
    ? {
        heading: 'Cancel',
        question: 'Cancel this rental? The first payment was never taken: it is voided, and the space goes back to the car park at once.',
        confirm: 'Yes, cancel the rental',
        start: 'Cancel rental',
      }
    : booked
    ? {
        heading: 'Cancel booking',
        question: 'Cancel this booking? Nothing has been charged for it, and the space goes back to the car park at once.',
        confirm: 'Yes, cancel the booking',
        start: 'Cancel booking',
      }
    : {
        heading: 'Cancel',
        question:
          'Cancel this tenancy? You keep your space, and the barrier lets you in, until the end of the month you have paid for. Nothing more is charged.',
        confirm: 'Yes, cancel',
        start: 'Cancel tenancy',
      };
  return (
    <section className="card" aria-labelledby="cancel-heading">
      <h2 id="cancel-heading">{words.heading}</h2>
      {undo.isSuccess && <Notice tone="ok">Your cancellation is undone: your tenancy carries on.</Notice>}
      {confirming ? (
        <div role="group" aria-labelledby="cancel-question">
          <p id="cancel-question">{words.question}</p>
          {tenancy.status === 'active' && (
            <div className="summary">
              <QuoteSummary quote={quote} />
            </div>
          )}
          <FormError error={cancel.error} />
          <div className="actions">
            <button type="button" className="danger" disabled={cancel.isPending} onClick={() => cancel.mutate()}>
              {cancel.isPending ? 'Cancelling…' : words.confirm}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              No, keep it
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className="secondary" onClick={() => setConfirming(true)}>
          {words.start}
        </button>
      )}
    </section>
  );
}
