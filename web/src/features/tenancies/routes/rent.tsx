import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../../lib/api-client';
import { Link, useNavigate, useParams } from 'react-router';
import { FormError, SubmitButton, TextField } from '../../../components/form';
import { Page } from '../../../components/page';
import { Loading, QueryError } from '../../../components/status';
import { RequireSession } from '../../../lib/auth';
import { longDate, money, startOfDayIso, todayInTimeZone, vehicleTypeName } from '../../../lib/format';
import { useBilling } from '../../billing/api';
import { CardForm } from '../../billing/components/card-form';
import { carparkKeys, pricedTypes, useCarpark, type Carpark, type VehicleType } from '../../carparks/api';
import { useQuote, useRent } from '../api';
import { PlateField } from '../components/plate-field';
import { QuoteSummary } from '../components/quote-summary';
import { useJoinWaitlist } from '../../waitlist/api';

export default function RentRoute() {
  return (
    <RequireSession>
      <RentPage />
    </RequireSession>
  );
}

function RentPage() {
  const { carparkId = '' } = useParams();
  const carpark = useCarpark(carparkId);
  const billing = useBilling();
  if (carpark.isPending || billing.isPending) return <Loading />;
  if (carpark.isError) return <QueryError error={carpark.error} />;
  if (billing.isError) return <QueryError error={billing.error} retry={() => void billing.refetch()} />;
  return (
    <Page title={`Rent a space at ${carpark.data.name}`}>
      <p className="muted">
        {carpark.data.address.line1}, {carpark.data.address.city} {carpark.data.address.postcode}
      </p>
      {billing.data.defaultCard ? (
        <RentForm carpark={carpark.data} card={billing.data.defaultCard} />
      ) : (
        <section className="card" aria-labelledby="add-card-heading">
          <h2 id="add-card-heading">First, add a card</h2>
          <p>Your monthly payments are taken from this card. Card details go straight to Stripe, our payment provider.</p>
          <CardForm submitLabel="Save card and continue" />
        </section>
      )}
    </Page>
  );
}

function RentForm({ carpark, card }: { carpark: Carpark; card: { brand: string; last4: string } }) {
  const rent = useRent();
  const queryClient = useQueryClient();
  const join = useJoinWaitlist(carpark.carparkId);
  const navigate = useNavigate();
  const types = pricedTypes(carpark);
  const [vehicleType, setVehicleType] = useState<VehicleType | undefined>((types.find((t) => t.free > 0) ?? types[0])?.type);
  const today = todayInTimeZone();
  const [startDate, setStartDate] = useState(today);
  const chosen = types.find((t) => t.type === vehicleType);
  const full = chosen !== undefined && chosen.free === 0;
  const startsToday = startDate === today;
  // Renting from today is charged now: Stripe's preview says how much (a second space is prorated).
  const quote = useQuote(chosen && startsToday && !full ? { kind: 'rent', carparkId: carpark.carparkId, vehicleType: chosen.type } : undefined);
  const chargeNow = startsToday ? quote.data?.chargedNow : chosen?.price;

  return (
    <form
      className="card form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (!vehicleType) return;
        const plate = String(new FormData(event.currentTarget).get('plate') ?? '');
        if (full) {
          join.mutate(
            { vehicleType, plate },
            { onSuccess: ({ position }) => void navigate('/my/waitlist', { state: { joined: { carparkName: carpark.name, position } } }) },
          );
          return;
        }
        rent.mutate(
          {
            carparkId: carpark.carparkId,
            vehicleType,
            plate,
            ...(!startsToday && { startDate: startOfDayIso(startDate) }),
            ...(startsToday && quote.data && { quotedAt: quote.data.quotedAt }),
          },
          {
            onSuccess: ({ tenancy, warnings }) =>
              void navigate(`/my/tenancies/${tenancy.tenancyId}`, { state: { warnings, justRented: true } }),
            // Taken (or a line formed) since the page loaded: read the car park again, so the
            // page offers its waitlist instead.
            onError: (error) => {
              if (error instanceof ApiError && error.code === 'carpark_full') void queryClient.invalidateQueries({ queryKey: carparkKeys.one(carpark.carparkId) });
            },
          },
        );
      }}
    >
      {rent.error instanceof ApiError && rent.error.code === 'carpark_full' && full ? (
        <div className="alert alert-error" role="alert">
          <p>The last {vehicleTypeName(chosen.type).toLowerCase()} space has just gone. Join the waitlist below to be offered the next one.</p>
        </div>
      ) : (
        <FormError error={rent.error ?? join.error} shownFields={['vehicleType', 'plate', 'startDate']} />
      )}
      <fieldset className="field">
        <legend>Vehicle type</legend>
        {types.map(({ type, price, free }) => (
          <label key={type} className="choice">
            <input
              type="radio"
              name="vehicleType"
              value={type}
              checked={vehicleType === type}
              onChange={() => setVehicleType(type)}
            />{' '}
            {vehicleTypeName(type)}: {money(price, carpark.currency)} a month{' '}
            <span className="muted">({free === 0 ? `full${(carpark.waiting[type] ?? 0) > 0 ? `, ${carpark.waiting[type]} waiting` : ''}` : `${free} free`})</span>
          </label>
        ))}
      </fieldset>
      <PlateField label="Number plate" hint="As on the plate, e.g. AB12 CDE. The barrier camera reads it." error={rent.error ?? join.error} />
      {!full && (
      <TextField
        label="Start date"
        name="startDate"
        type="date"
        min={today}
        value={startDate}
        onChange={(event) => setStartDate(event.currentTarget.value || today)}
        error={rent.error}
      />
      )}
      {full && (
        <section className="summary" aria-labelledby="waitlist-heading" aria-live="polite" data-testid="waitlist-offer">
          <h2 id="waitlist-heading">No {vehicleTypeName(chosen.type).toLowerCase()} space is free</h2>
          <p>
            {(carpark.waiting[chosen.type] ?? 0) > 0 ? `${carpark.waiting[chosen.type]} already waiting. ` : ''}Join the waitlist with your
            plate: when a space frees, the first in line is offered it, held for them for {carpark.offerHours} hours. You are emailed, and accept it in one
            step. Nothing is charged until you accept.
          </p>
        </section>
      )}
      {chosen && !full && (
        <section className="summary" aria-labelledby="summary-heading" aria-live="polite">
          <h2 id="summary-heading">Before you confirm</h2>
          <dl>
            <dt>Monthly price</dt>
            <dd data-testid="monthly-price">{money(chosen.price, carpark.currency)} a month</dd>
            {!startsToday && (
              <>
                <dt>First charge</dt>
                <dd data-testid="first-charge">
                  {money(chosen.price, carpark.currency)} on {longDate(startOfDayIso(startDate))}, to your {card.brand.toUpperCase()} card ending{' '}
                  {card.last4}
                </dd>
              </>
            )}
          </dl>
          {startsToday && <QuoteSummary quote={quote} card={card} />}
          <p className="muted">Until you cancel, each month renews. Cancelling keeps your space until the end of the month you have paid for.</p>
        </section>
      )}
      {full ? (
        <SubmitButton pending={join.isPending} pendingText="Joining…">
          Join the waitlist
        </SubmitButton>
      ) : (
        <SubmitButton pending={rent.isPending} pendingText="Renting…" disabled={startsToday && chosen !== undefined && (!quote.data || quote.isFetching)}>
          {chosen && chargeNow !== undefined ? `Confirm and pay ${money(chargeNow, carpark.currency)}` : 'Confirm'}
        </SubmitButton>
      )}
      <p>
        <Link to="/">Back to car parks</Link>
      </p>
    </form>
  );
}
