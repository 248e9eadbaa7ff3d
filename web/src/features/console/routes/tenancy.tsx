import { Link, useParams } from 'react-router';
import { Page } from '../../../components/page';
import { Loading, QueryError } from '../../../components/status';
import { RequireConsole, useSession } from '../../../lib/auth';
import { list, longDate, tenancyStatusName, timeAndDay, vehicleTypeName } from '../../../lib/format';
import { FormError } from '../../../components/form';
import { Notice } from '../../../components/status';
import { useConsoleCarpark, useConsoleTenancy, useConsoleUser, usePushToBarrier } from '../api';
import { ConsoleNav } from '../components/console-nav';
import { TenancyTimeline } from '../../tenancies/components/tenancy-timeline';
import { TenancyPrice } from '../../tenancies/components/tenancy-price';

export default function ConsoleTenancyRoute() {
  return (
    <RequireConsole>
      <ConsoleNav />
      <ConsoleTenancy />
    </RequireConsole>
  );
}

function ConsoleTenancy() {
  const { tenancyId = '' } = useParams();
  const session = useSession()!;
  const admin = session.user.role === 'admin';
  const tenancy = useConsoleTenancy(tenancyId);
  const carpark = useConsoleCarpark(tenancy.data?.carparkId ?? '');
  // An admin sees the tenant's account, name and email; an operator may not read accounts, so sees
  // the name the tenancy keeps.
  const tenant = useConsoleUser(tenancy.data?.userId, { enabled: admin });
  if (tenancy.isPending) return <Loading label="Loading the tenancy…" />;
  if (tenancy.isError) return <QueryError error={tenancy.error} retry={() => void tenancy.refetch()} />;
  const t = tenancy.data;
  const where = carpark.data?.name ?? 'Tenancy';
  return (
    <Page title={`${where}: ${t.plate}`}>
      <section className="card" aria-labelledby="tenancy-heading">
        <h2 id="tenancy-heading">Tenancy</h2>
        <dl className="facts" data-testid="console-tenancy">
          <dt>Status</dt>
          <dd>
            <span className={`status status-${t.status}`}>{tenancyStatusName(t.status)}</span>
            {t.failureReason && <span className="field-error"> {t.failureReason}</span>}
          </dd>
          <dt>{t.extraPlates?.length ? 'Plates' : 'Plate'}</dt>
          <dd data-testid="console-plates">
            {[t.plate, ...(t.extraPlates ?? [])].map((plate, i) => (
              <span key={plate}>
                {i > 0 && ', '}
                <span className="plate">{plate}</span>
              </span>
            ))}
            {t.pendingPlate && <span className="muted">{t.addingPlate ? ` (adding ${t.pendingPlate})` : ` (changing to ${t.pendingPlate})`}</span>}
          </dd>
          {t.retiredPlates?.length ? (
            <>
              <dt>Removed plates</dt>
              <dd data-testid="console-removed-plates">
                {t.retiredPlates.map((r, i) => (
                  <span key={r.plate}>
                    {i > 0 && '; '}
                    <span className="plate">{r.plate}</span> opens the barrier until {longDate(r.until, carpark.data?.timeZone)}
                  </span>
                ))}
              </dd>
            </>
          ) : null}
          <dt>At the barrier</dt>
          <dd>
            {t.status === 'failed'
              ? 'Not let in: the tenancy did not start'
              : t.barrier.status === 'registered'
              ? `Live since ${timeAndDay(t.barrier.changedAt)}`
              : t.barrier.status === 'pending'
                ? 'Not yet added'
                : `Not let in since ${timeAndDay(t.barrier.changedAt)}`}
          </dd>
          <dt>Vehicle type</dt>
          <dd>{vehicleTypeName(t.vehicleType)}</dd>
          <dt>Tenant</dt>
          <dd data-testid="tenant">
            {tenant.data ? (
              <>
                {tenant.data.name} ({tenant.data.email}) <code>{t.userId}</code>
              </>
            ) : (
              <>
                {t.tenantName ? `${t.tenantName} ` : ''}
                <code>{t.userId}</code>
              </>
            )}
          </dd>
          <dt>Price</dt>
          <dd>
            <TenancyPrice tenancy={t} />
          </dd>
          <dt>{t.status === 'scheduled' ? 'Starts' : 'Started'}</dt>
          <dd>{longDate(t.startDate)}</dd>
          {t.renewsAt && t.status === 'active' && (
            <>
              <dt>Next renewal</dt>
              <dd>{longDate(t.renewsAt)}</dd>
            </>
          )}
          {t.endsAt && (
            <>
              <dt>{t.status === 'ended' ? 'Ended' : 'Ends'}</dt>
              <dd>{longDate(t.endsAt)}</dd>
            </>
          )}
          {t.arrears && (
            <>
              <dt>Arrears</dt>
              <dd className="field-error">
                Unpaid since {longDate(t.arrears.since)}
                {t.arrears.state === 'suspended' ? '; access suspended' : ''}
              </dd>
            </>
          )}
          <dt>Created</dt>
          <dd>{timeAndDay(t.createdAt)}</dd>
        </dl>
      </section>
      {(t.status === 'active' || t.status === 'cancelling' || t.status === 'suspended') && !t.pendingPlate && (
        <PushToBarrier tenancyId={t.tenancyId} plates={[t.plate, ...(t.extraPlates ?? [])]} suspended={t.status === 'suspended'} />
      )}
      <TenancyTimeline tenancyId={t.tenancyId} version={t.updatedAt} />
      <p>
        <Link to={`/console/tenancies?carparkId=${t.carparkId}`}>All tenancies at {where}</Link>
      </p>
    </Page>
  );
}

/** For a tenant at the barrier whose plate it lost: no need to wait for the nightly reconciliation. Every plate of the tenancy goes. */
function PushToBarrier({ tenancyId, plates, suspended }: { tenancyId: string; plates: readonly string[]; suspended: boolean }) {
  const push = usePushToBarrier(tenancyId);
  const one = plates.length === 1;
  const names = list(plates);
  return (
    <section className="card" aria-labelledby="barrier-heading">
      <h2 id="barrier-heading">Barrier</h2>
      <p>
        {suspended
          ? `Suspended: ${names} must not open the barrier. Take ${one ? 'it' : 'them'} off the barrier's list now if ${one ? 'it is' : 'they are'} still on it.`
          : `If the barrier does not open for ${names}, send ${one ? 'it' : 'them'} to the barrier again now instead of waiting for the nightly check.`}
      </p>
      {push.isSuccess && (
        <Notice tone="ok">
          {push.data.action === 'registered' ? `${names} ${one ? 'is' : 'are'} on the barrier's list again` : `${names} ${one ? 'is' : 'are'} off the barrier's list`} (
          {timeAndDay(push.data.at)}).
        </Notice>
      )}
      <FormError error={push.error} />
      <button type="button" className="secondary" disabled={push.isPending} onClick={() => push.mutate()}>
        {push.isPending ? 'Sending to the barrier…' : suspended ? 'Take off the barrier now' : 'Send to the barrier again'}
      </button>
    </section>
  );
}
