/**
 * Adding a car park and changing one: the same form. Prices are typed in pounds (or the car
 * park's currency) and sent in minor units; the API's field messages (422) show next to their
 * fields, named as the API names them (`prices.car`, `address.postcode`).
 */
import { useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { AddressFields, addressFrom, carparkFieldNames, CurrencyField, parseSpaces, SpacesAndPrices } from '../../../components/carpark-fields';
import { FormError, formValues, SubmitButton, TextField } from '../../../components/form';
import { Page } from '../../../components/page';
import { Loading, QueryError } from '../../../components/status';
import { ApiError } from '../../../lib/api-client';
import { RequireConsole, useSession } from '../../../lib/auth';
import { timeAndDay } from '../../../lib/format';
import {
  useBarrierCheck,
  useConsoleCarpark,
  useCreateCarpark,
  useUpdateCarpark,
  VEHICLE_TYPES,
  type Carpark,
  type CreateCarparkBody,
  type UpdateCarparkBody,
  type VehicleType,
} from '../api';
import { ConsoleNav } from '../components/console-nav';

export function NewCarparkRoute() {
  return (
    <RequireConsole>
      <ConsoleNav />
      <CarparkForm />
    </RequireConsole>
  );
}

export function EditCarparkRoute() {
  return (
    <RequireConsole>
      <ConsoleNav />
      <EditCarpark />
    </RequireConsole>
  );
}

function EditCarpark() {
  const { carparkId = '' } = useParams();
  const carpark = useConsoleCarpark(carparkId);
  if (carpark.isPending) return <Loading label="Loading the car park…" />;
  if (carpark.isError) return <QueryError error={carpark.error} retry={() => void carpark.refetch()} />;
  return <CarparkForm existing={carpark.data} after={<BarrierCheck carparkId={carparkId} />} />;
}

/** The nightly reconciliation as this car park saw it: when, and each plate it put right. */
function BarrierCheck({ carparkId }: { carparkId: string }) {
  const check = useBarrierCheck(carparkId);
  const run = check.data?.lastRun;
  return (
    <section className="card form" aria-labelledby="barrier-check-heading" data-testid="barrier-check">
      <h2 id="barrier-check-heading">Barrier check</h2>
      <p className="hint">Every night the barrier’s list of plates is compared with the tenancies that should open it, and put right.</p>
      {check.isPending && <Loading label="Loading the last check…" />}
      {check.isError && <QueryError error={check.error} retry={() => void check.refetch()} />}
      {check.data && !run && <p>Not checked yet: the first check runs tonight.</p>}
      {run && (
        <>
          <p>
            Last checked {timeAndDay(run.finishedAt)}.{' '}
            {run.error
              ? `This barrier could not be checked: ${run.error}`
              : run.fixes.length === 0
                ? 'Nothing needed putting right.'
                : `${run.fixes.length} ${run.fixes.length === 1 ? 'plate was' : 'plates were'} put right:`}
          </p>
          {run.fixes.length > 0 && (
            <ul>
              {run.fixes.map((f) => (
                <li key={`${f.plate}-${f.action}`}>
                  <span className="plate">{f.plate}</span>{' '}
                  {f.action === 'registered' ? 'was missing and was put back on the list' : 'should not open the barrier and was taken off'}
                  {f.tenancyId && (
                    <>
                      {' '}
                      (<Link to={`/console/tenancies/${f.tenancyId}`}>its tenancy</Link>)
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

type PerType = Partial<Record<VehicleType, number>>;

const sameMap = (a: PerType, b: PerType) => JSON.stringify(VEHICLE_TYPES.map((t) => a[t])) === JSON.stringify(VEHICLE_TYPES.map((t) => b[t]));

/** `after`: shown below the form, on the same page (the car park's barrier check when editing). */
function CarparkForm({ existing, after }: { existing?: Carpark; after?: ReactNode }) {
  const session = useSession()!;
  const admin = session.user.role === 'admin';
  const navigate = useNavigate();
  const create = useCreateCarpark();
  const update = useUpdateCarpark(existing?.carparkId ?? '');
  const [localError, setLocalError] = useState<ApiError>();
  const mutation = existing ? update : create;
  const error = localError ?? mutation.error;
  const title = existing ? `Edit ${existing.name}` : 'Add a car park';

  const done = (name: string, repriced = false) => void navigate('/console/carparks', { state: { saved: name, repriced } });

  return (
    <Page title={title}>
      <form
        className="card form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const values = formValues(event.currentTarget);
          const { prices, capacity, problems } = parseSpaces(values);
          if (problems.length > 0) {
            setLocalError(new ApiError(422, { error: { code: 'validation_failed', message: 'Check the spaces and prices.', details: problems } }));
            return;
          }
          setLocalError(undefined);
          const address = addressFrom(values);
          if (existing) {
            const body: Record<string, unknown> = {};
            if (values.name !== existing.name) body.name = values.name ?? '';
            if ((['line1', 'line2', 'city', 'postcode', 'country'] as const).some((k) => address[k as keyof typeof address] !== existing.address[k])) body.address = address;
            if (!sameMap(prices, existing.prices)) body.prices = prices;
            if (!sameMap(capacity, existing.capacity)) body.capacity = capacity;
            if (values.smartParkingSiteId) body.smartParkingSiteId = values.smartParkingSiteId;
            if (values.supportEmail !== existing.supportEmail) body.supportEmail = values.supportEmail ?? '';
            const offerHours = Number(values.offerHours);
            if (values.offerHours !== undefined && offerHours !== existing.offerHours) body.offerHours = offerHours;
            const platesPerTenancy = Number(values.platesPerTenancy);
            if (values.platesPerTenancy !== undefined && platesPerTenancy !== existing.platesPerTenancy) body.platesPerTenancy = platesPerTenancy;
            update.mutate(body as UpdateCarparkBody, { onSuccess: (saved) => done(saved.name, body.prices !== undefined) });
          } else {
            const body = {
              ...(admin ? { operatorId: values.operatorId ?? '' } : {}),
              name: values.name ?? '',
              address,
              currency: (values.currency ?? 'gbp') as CreateCarparkBody['currency'],
              prices,
              capacity,
              smartParkingSiteId: values.smartParkingSiteId ?? '',
              supportEmail: values.supportEmail ?? '',
            };
            create.mutate(body as CreateCarparkBody, { onSuccess: (saved) => done(saved.name) });
          }
        }}
      >
        <FormError
          error={error}
          shownFields={['operatorId', ...carparkFieldNames(), 'offerHours', 'platesPerTenancy']}
        />
        {admin && !existing && (
          <TextField label="Operator id" name="operatorId" hint="The operator company that runs it, e.g. op_0c3e…" required error={error} />
        )}
        <TextField label="Name" name="name" defaultValue={existing?.name} required error={error} />
        <AddressFields existing={existing?.address} error={error} />
        {!existing && <CurrencyField error={error} />}
        {existing && (
          <p className="hint" id="price-policy">
            A new price applies to new tenancies at once, and to existing tenancies from their next renewal: nothing more is
            charged for the month they have paid, and each of their tenants is emailed the new price and the date.
          </p>
        )}
        <SpacesAndPrices existing={existing} error={error} />
        <TextField
          label={existing ? 'Barrier site id (optional)' : 'Barrier site id'}
          name="smartParkingSiteId"
          hint={existing ? 'The SmartParking site id; leave empty to keep the current one.' : 'The SmartParking site id of the car park’s barrier, e.g. SP-LEEDS-001'}
          required={!existing}
          error={error}
        />
        <TextField label="Support email" name="supportEmail" type="email" defaultValue={existing?.supportEmail} required error={error} />
        {existing && (
          <TextField
            label="Waitlist offer holds a space for (hours)"
            name="offerHours"
            type="number"
            min={1}
            max={168}
            defaultValue={String(existing.offerHours)}
            hint="When a space frees, the first in the waitlist is offered it and it is held this long for them (1 to 168 hours)."
            error={error}
          />
        )}
        {existing && (
          <TextField
            label="Plates per tenancy"
            name="platesPerTenancy"
            type="number"
            min={1}
            max={3}
            defaultValue={String(existing.platesPerTenancy)}
            hint="How many cars' plates one tenancy may put on the barrier's list (1 to 3). Billing stays one space; lowering it leaves plates already added in place."
            error={error}
          />
        )}
        <div className="actions">
          <SubmitButton pending={mutation.isPending} pendingText="Saving…">
            {existing ? 'Save changes' : 'Add car park'}
          </SubmitButton>
          <Link to="/console/carparks">Cancel</Link>
        </div>
      </form>
      {after}
    </Page>
  );
}
