/** The admin's list of operators: search by the start of the name, a page at a time. */
import { Link, useSearchParams } from 'react-router';
import { FormError, TextField } from '../../../components/form';
import { Page } from '../../../components/page';
import { Loading } from '../../../components/status';
import { RequireConsole } from '../../../lib/auth';
import { shortDate } from '../../../lib/format';
import { useOperatorPage } from '../api';
import { ConsoleNav } from '../components/console-nav';
import { PagedTable, useCursorPages } from '../components/cursor-pages';

export default function ConsoleOperatorsRoute() {
  return (
    <RequireConsole adminOnly>
      <ConsoleNav />
      <ConsoleOperators />
    </RequireConsole>
  );
}

function ConsoleOperators() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  return (
    <Page title="Operators" lead="The companies that run car parks on the platform.">
      <form
        className="card filters"
        role="search"
        aria-label="Operators"
        onSubmit={(event) => {
          event.preventDefault();
          const text = String(new FormData(event.currentTarget).get('q') ?? '').trim();
          setParams(text ? { q: text } : {});
        }}
      >
        <TextField label="Name starts with" name="q" defaultValue={q} key={`q-${q}`} autoComplete="off" />
        <button type="submit">Search</button>
      </form>
      <OperatorPages key={q} q={q} />
    </Page>
  );
}

function OperatorPages({ q }: { q: string }) {
  const pages = useCursorPages();
  const { cursor } = pages;
  const page = useOperatorPage({ q, ...(cursor ? { cursor } : {}) });
  if (page.isPending) return <Loading label="Loading operators…" />;
  if (page.isError) return <FormError error={page.error} />;
  const { items, nextCursor } = page.data;
  return (
    <PagedTable
      id="operators"
      heading={`${q ? `Operators whose name starts with “${q}”` : 'All operators'}, page ${pages.pageNumber}`}
      label="Operators"
      testId="console-operators"
      columns={['Name', 'Contact', 'Since', 'Figures']}
      empty="No operators found."
      pages={pages}
      nextCursor={nextCursor}
      loading={page.isPlaceholderData}
    >
      {items.map((operator) => (
        <tr key={operator.operatorId}>
          <th scope="row">{operator.name}</th>
          <td>{operator.contactEmail}</td>
          <td>{shortDate(operator.createdAt)}</td>
          <td>
            <Link to={`/console/dashboard?operatorId=${operator.operatorId}`} aria-label={`Dashboard of ${operator.name}`}>
              Dashboard
            </Link>
          </td>
        </tr>
      ))}
    </PagedTable>
  );
}
