import { useSearchParams } from 'react-router';
import { SelectField } from '../../../components/form';
import { Page } from '../../../components/page';
import { Loading, QueryError } from '../../../components/status';
import { RequireConsole, useSession } from '../../../lib/auth';
import { useAllOperators, useConsoleCarparks, useDashboard } from '../api';
import { ConsoleNav } from '../components/console-nav';
import { DashboardFigures } from '../components/dashboard-figures';

export default function ConsoleDashboardRoute() {
  return (
    <RequireConsole>
      <ConsoleNav />
      <ConsoleDashboard />
    </RequireConsole>
  );
}

function ConsoleDashboard() {
  const session = useSession()!;
  const admin = session.user.role === 'admin';
  const [params, setParams] = useSearchParams();
  const carparks = useConsoleCarparks(session);
  const operators = useAllOperators({ enabled: admin });
  const carparkId = params.get('carparkId') ?? undefined;
  // An operator's own; an admin's, the operator of the car park chosen (or named).
  const operatorId =
    session.user.role === 'operator'
      ? session.user.operatorId
      : (params.get('operatorId') ?? carparks.data?.find((c) => c.carparkId === carparkId)?.operatorId ?? carparks.data?.[0]?.operatorId ?? operators.data?.[0]?.operatorId);
  const dashboard = useDashboard(operatorId, carparkId);
  const choices = carparks.data?.filter((c) => c.operatorId === operatorId) ?? [];

  return (
    <Page title="Dashboard" lead="Occupancy, revenue, arrears and churn over the last 12 months.">
      <form
        className="card filters"
        aria-label="Which car parks"
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          const next = new URLSearchParams();
          const chosenOperator = String(form.get('operatorId') ?? '');
          if (admin && chosenOperator) next.set('operatorId', chosenOperator);
          // A car park of another operator than the one chosen is dropped.
          const chosenCarpark = String(form.get('carparkId') ?? '');
          if (chosenCarpark && (!admin || chosenOperator === operatorId)) next.set('carparkId', chosenCarpark);
          setParams(next);
        }}
      >
        {admin && operators.data && (
          <SelectField label="Operator" name="operatorId" defaultValue={operatorId ?? ''} key={`o-${operatorId ?? ''}`}>
            {operators.data.map((o) => (
              <option key={o.operatorId} value={o.operatorId}>
                {o.name}
              </option>
            ))}
          </SelectField>
        )}
        {/* Keyed by the choices too: a link naming a car park selects it once the list has loaded. */}
        <SelectField label="Car park" name="carparkId" defaultValue={carparkId ?? ''} key={`c-${carparkId ?? ''}-${operatorId ?? ''}-${choices.length}`}>
          <option value="">{admin ? 'All of this operator’s car parks' : 'All my car parks'}</option>
          {choices.map((c) => (
            <option key={c.carparkId} value={c.carparkId}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <button type="submit">Show</button>
      </form>
      {dashboard.isPending && <Loading label="Loading the dashboard…" />}
      {dashboard.isError && <QueryError error={dashboard.error} retry={() => void dashboard.refetch()} />}
      {dashboard.data && (
        <DashboardFigures
          figures={dashboard.data}
          currency={dashboard.data.currency}
          scope={dashboard.data.carparkId ? (dashboard.data.carparks.find((c) => c.carparkId === dashboard.data.carparkId)?.name ?? 'car-park') : 'all-car-parks'}
        />
      )}
    </Page>
  );
}
