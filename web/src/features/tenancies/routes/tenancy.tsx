import { useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useLocation, useParams } from 'react-router';
import { FormError, formValues, SelectField, SubmitButton } from '../../../components/form';
import { Page } from '../../../components/page';
import { Loading, Notice, QueryError } from '../../../components/status';
import { ApiError } from '../../../lib/api-client';
import { RequireSession } from '../../../lib/auth';
import { longDate, money, tenancyStatusName, timeAndDay, vehicleTypeName } from '../../../lib/format';
import { carparkKeys, pricedTypes, useCarpark, type Carpark, type VehicleType } from '../../carparks/api';
import {
  nextRenewal,
  platesOf,
  tenancyKeys,
  useAddPlate,
  useCancelTenancy,
  useQuote,
  useRemovePlate,
  useTenancy,
  useUndoCancellation,
  useUpdateTenancy,
  type PlateWarning,
  type Tenancy,
} from '../api';
import { QuoteSummary } from '../components/quote-summary';
import { PlateField } from '../components/plate-field';
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
      {carpark.data && <Plates tenancy={t} carpark={carpark.data} />}
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
        <dt>{t.extraPlates?.length ? 'Plates' : 'Plate'}</dt>
        <dd data-testid="summary-plates">
          {platesOf(t).map((plate, i) => (
            <span key={plate}>
              {i > 0 && ', '}
              <span className="plate">{plate}</span>
            </span>
          ))}
          {t.pendingPlate && <span className="muted">{t.addingPlate ? ` (adding ${t.pendingPlate}…)` : ` (changing to ${t.pendingPlate}…)`}</span>}
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

/** What went wrong with adding or removing `plate`, in words the tenant can act on; undefined for errors the form shows itself (422). */
function plateProblem(error: unknown, plate: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  switch (error.code) {
    case 'plate_limit':
      // The API's message says how many plates the car park allows.
      return `${plate} was not added. ${error.message}`;
    case 'plate_in_use':
      return `${plate} already opens this car park’s barrier for another tenancy, so it cannot be added here. Check the plate; if it is right, contact the car park.`;
    case 'tenancy_not_active':
      return 'Plates can be added or removed only while the tenancy is active.';
    case 'tenancy_busy':
      return 'A plate change is under way on this tenancy. This page updates by itself when it is done; then try again.';
    case 'last_plate':
      return 'A tenancy keeps at least one plate. To replace it, change the plate; to stop parking here, cancel the tenancy.';
    case 'not_found':
      return `${plate} is not one of this tenancy’s plates any more.`;
    default:
      return undefined;
  }
}

function PlateProblem({ error, plate }: { error: unknown; plate: string }) {
  const problem = plateProblem(error, plate);
  if (!problem) return <FormError error={error} shownFields={['plate']} />;
  return (
    <div className="alert alert-error" role="alert">
      <p>{problem}</p>
    </div>
  );
}

/**
 * The tenancy's plates: a household's cars on one space, up to the car park's plates per tenancy.
 * Adding one runs as a plate change (polled until the barrier has it); a removed one keeps opening
 * the barrier until the end of the period paid for. Shown when the car park allows more than one,
 * or the tenancy has more than one.
 */
function Plates({ tenancy: t, carpark }: { tenancy: Tenancy; carpark: Carpark }) {
  const queryClient = useQueryClient();
  const add = useAddPlate(t.tenancyId);
  const remove = useRemovePlate(t.tenancyId);
  const [warnings, setWarnings] = useState<{ plate: string; warnings: PlateWarning[] }>();
  const [added, setAdded] = useState<string>();
  const [attempted, setAttempted] = useState('');
  const [confirming, setConfirming] = useState<string>();
  const heading = useRef<HTMLHeadingElement>(null);
  const question = useRef<HTMLParagraphElement>(null);
  const removeButtons = useRef(new Map<string, HTMLButtonElement>());
  useEffect(() => {
    if (confirming) question.current?.focus();
  }, [confirming]);

  const plates = platesOf(t);
  const adding = t.addingPlate ? t.pendingPlate : undefined;
  const retired = t.retiredPlates ?? [];
  const allowed = carpark.platesPerTenancy;
  if (t.status !== 'active' && t.status !== 'cancelling' && t.status !== 'suspended') return null;
  if (allowed <= 1 && plates.length <= 1 && !adding && retired.length === 0) return null;

  const held = plates.length + (adding ? 1 : 0);
  const active = t.status === 'active';
  const busy = t.pendingPlate !== undefined;
  const canAdd = active && !busy && held < allowed;
  const canRemove = active && !busy && plates.length > 1;
  // A removed plate still opening the barrier counts against the limit: the next plate added takes
  // its place at once (the server picks the one whose time ends first).
  const stillOpen = retired.filter((r) => Date.parse(r.until) > Date.now()).sort((a, b) => a.until.localeCompare(b.until));
  const displaced = held + stillOpen.length >= allowed ? stillOpen[0]?.plate : undefined;
  const renewsAt = nextRenewal(t);
  const untilWords = renewsAt ? `the end of the period you have paid for, ${longDate(renewsAt, carpark.timeZone)}` : 'the end of the period you have paid for';
  // After a plate change was refused: read the tenancy (and the car park's limit) again, so the page shows them as they are.
  const refresh = (error: unknown) => {
    if (!(error instanceof ApiError) || error.status !== 409) return;
    void queryClient.invalidateQueries({ queryKey: tenancyKeys.one(t.tenancyId) });
    if (error.code === 'plate_limit') void queryClient.invalidateQueries({ queryKey: carparkKeys.one(t.carparkId) });
  };
  const closeConfirmation = (plate: string) => {
    setConfirming(undefined);
    remove.reset();
    removeButtons.current.get(plate)?.focus();
  };

  return (
    <section className="card" aria-labelledby="plates-heading" data-testid="plates">
      <h2 id="plates-heading" ref={heading} tabIndex={-1}>
        Plates
      </h2>
      <p>
        <strong data-testid="plate-count">
          {held} of {allowed} {allowed === 1 ? 'plate' : 'plates'}
        </strong>
        {held > allowed && <span className="muted"> (this car park now allows {allowed}: yours stay, but none can be added)</span>}
      </p>
      <p className="hint">Every plate here opens the barrier, but you rent and pay for one space: park only one of these cars at a time.</p>
      <ul className="plate-list" aria-label="Plates on this tenancy">
        {plates.map((plate, i) => (
          <li key={plate}>
            <span className="plate">{plate}</span>
            {i === 0 && plates.length > 1 && <span className="muted"> first plate</span>}
            {canRemove && (
              <button
                type="button"
                className="secondary"
                aria-expanded={confirming === plate}
                ref={(button) => {
                  if (button) removeButtons.current.set(plate, button);
                  else removeButtons.current.delete(plate);
                }}
                onClick={() => (remove.reset(), setConfirming(plate))}
              >
                Remove<span className="visually-hidden"> {plate}</span>
              </button>
            )}
          </li>
        ))}
        {adding && (
          <li>
            <span className="plate">{adding}</span> <span className="muted">being added…</span>
          </li>
        )}
        {retired.map((r) => (
          <li key={r.plate} data-testid="removed-plate">
            <span className="plate">{r.plate}</span>{' '}
            <span className="muted">removed — opens the barrier until {longDate(r.until, carpark.timeZone)}</span>
          </li>
        ))}
      </ul>
      {adding && <Notice>Adding {adding} to the barrier… This page updates by itself.</Notice>}
      {added && !busy && plates.includes(added) && <Notice tone="ok">{added} is added: the barrier opens for it.</Notice>}
      {added && !busy && !plates.includes(added) && (
        <Notice tone="warn">{added} could not be added to the barrier. Try again in a few minutes, or contact the car park.</Notice>
      )}
      {remove.isSuccess && !confirming && (
        <Notice tone="ok">
          {remove.variables} is removed. It keeps opening the barrier until {untilOf(remove.data, remove.variables, carpark.timeZone)}, then it is taken off the
          barrier’s list.
        </Notice>
      )}
      {confirming && (
        <div className="summary" role="group" aria-labelledby="remove-plate-question" data-testid="remove-plate">
          <p id="remove-plate-question" ref={question} tabIndex={-1}>
            Remove <span className="plate">{confirming}</span> from this tenancy? It keeps opening the barrier until {untilWords}, then it is taken
            off the barrier’s list. Your price stays the same.
          </p>
          {remove.error && <PlateProblem error={remove.error} plate={confirming} />}
          <div className="actions">
            <button
              type="button"
              className="danger"
              disabled={remove.isPending}
              onClick={() =>
                remove.mutate(confirming, {
                  onSuccess: () => {
                    setConfirming(undefined);
                    setAdded(undefined);
                    add.reset();
                    heading.current?.focus();
                  },
                  onError: refresh,
                })
              }
            >
              {remove.isPending ? 'Removing…' : `Yes, remove ${confirming}`}
            </button>
            <button type="button" className="secondary" onClick={() => closeConfirmation(confirming)}>
              No, keep it
            </button>
          </div>
        </div>
      )}
      {warnings && <PlateWarnings plate={warnings.plate} warnings={warnings.warnings} remedy="If it is wrong, remove it here and add the right one." />}
      {add.error && <PlateProblem error={add.error} plate={attempted} />}
      {canAdd ? (
        <form
          className="form inline-form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            const form = event.currentTarget;
            const plate = formValues(form).plate ?? '';
            setAttempted(plate.toUpperCase().replace(/[^A-Z0-9]/g, ''));
            add.mutate(plate, {
              onSuccess: ({ tenancy, warnings }) => {
                const plate = tenancy.addingPlate ? tenancy.pendingPlate : undefined;
                setAdded(plate);
                setWarnings(plate && warnings.length > 0 ? { plate, warnings } : undefined);
                remove.reset();
                form.reset();
              },
              onError: refresh,
            });
          }}
        >
          <PlateField
            label="Plate to add"
            hint={
              displaced
                ? `Another car of your household, as on its plate, e.g. AB12 CDE. Adding it takes ${displaced}, which you removed, off the barrier at once.`
                : 'Another car of your household, as on its plate, e.g. AB12 CDE. The barrier camera reads it.'
            }
            error={add.error}
          />
          <SubmitButton pending={add.isPending} pendingText="Adding…">
            Add plate
          </SubmitButton>
        </form>
      ) : (
        active &&
        !busy &&
        held >= allowed &&
        allowed > 1 && <p className="muted">This car park allows {allowed} plates per tenancy: remove one to add another.</p>
      )}
      {!active && <p className="muted">Plates can be added or removed while the tenancy is active.</p>}
    </section>
  );
}

/** When a just-removed plate stops opening the barrier, as the API recorded it. */
function untilOf(tenancy: Tenancy, plate: string, timeZone: string): string {
  const until = tenancy.retiredPlates?.find((r) => r.plate === plate)?.until;
  return until ? longDate(until, timeZone) : 'the end of the period you have paid for';
}

function ChangePlate({ tenancy, onWarnings }: { tenancy: Tenancy; onWarnings: (warnings: PlateWarning[]) => void }) {
  const update = useUpdateTenancy(tenancy.tenancyId);
  return (
    <section className="card" aria-labelledby="plate-heading">
      <h2 id="plate-heading">Change plate</h2>
      {tenancy.extraPlates?.length ? (
        <p className="hint">
          This replaces <span className="plate">{tenancy.plate}</span>. To replace another plate, remove it above and add the new one.
        </p>
      ) : null}
      {update.isSuccess && <Notice tone="ok">Your new plate is on its way to the barrier.</Notice>}
      <form
        className="form inline-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const form = event.currentTarget;
          const plate = formValues(form).plate ?? '';
          update.mutate({ plate }, { onSuccess: ({ warnings }) => (onWarnings(warnings), form.reset()) });
        }}
      >
        <FormError error={update.error} shownFields={['plate']} />
        <PlateField label="New plate" error={update.error} />
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
