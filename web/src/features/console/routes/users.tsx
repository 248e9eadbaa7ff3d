/** The admin's list of user accounts: search by the start of the email or of the name, a page at a time. */
import { Link, useSearchParams } from 'react-router';
import { FormError, SelectField, TextField } from '../../../components/form';
import { Page } from '../../../components/page';
import { Loading } from '../../../components/status';
import { RequireConsole } from '../../../lib/auth';
import { shortDate } from '../../../lib/format';
import { useUserPage } from '../api';
import { ConsoleNav } from '../components/console-nav';
import { PagedTable, useCursorPages } from '../components/cursor-pages';

export default function ConsoleUsersRoute() {
  return (
    <RequireConsole adminOnly>
      <ConsoleNav />
      <ConsoleUsers />
    </RequireConsole>
  );
}

const ROLE_NAMES: Record<string, string> = { tenant: 'Tenant', operator: 'Operator', admin: 'Admin' };

function ConsoleUsers() {
  const [params, setParams] = useSearchParams();
  const by = params.get('by') === 'name' ? 'name' : 'email';
  const q = params.get('q') ?? '';
  return (
    <Page title="Users" lead="Every account on the platform: tenants, operators and admins.">
      <form
        className="card filters"
        role="search"
        aria-label="Users"
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          const text = String(form.get('q') ?? '').trim();
          setParams(text ? { by: String(form.get('by') ?? 'email'), q: text } : {});
        }}
      >
        <SelectField label="Search by" name="by" defaultValue={by} key={`by-${by}`}>
          <option value="email">Start of the email</option>
          <option value="name">Start of the name</option>
        </SelectField>
        <TextField label="Search for" name="q" defaultValue={q} key={`q-${q}`} autoComplete="off" />
        <button type="submit">Search</button>
      </form>
      <UserPages key={`${by}|${q}`} by={by} q={q} />
    </Page>
  );
}

function UserPages({ by, q }: { by: 'email' | 'name'; q: string }) {
  const pages = useCursorPages();
  const { cursor } = pages;
  const page = useUserPage({ by, q, ...(cursor ? { cursor } : {}) });
  if (page.isPending) return <Loading label="Loading users…" />;
  // A search the API refuses (422) is shown with its field messages.
  if (page.isError) return <FormError error={page.error} />;
  const { items, nextCursor } = page.data;
  return (
    <PagedTable
      id="users"
      heading={`${q ? `Users whose ${by} starts with “${q}”` : 'All users'}, page ${pages.pageNumber}`}
      label="Users"
      testId="console-users"
      columns={['Name', 'Email', 'Role', 'Account', 'Joined']}
      empty="No users found."
      pages={pages}
      nextCursor={nextCursor}
      loading={page.isPlaceholderData}
    >
      {items.map((user) => (
        <tr key={user.userId}>
          <th scope="row">{user.name}</th>
          <td>{user.email}</td>
          <td>{ROLE_NAMES[user.role] ?? user.role}</td>
          <td>
            {user.accountType === 'corporate' ? (
              <>
                Company{' '}
                <Link to={`/console/users/${user.userId}/xero-contact`} aria-label={`Xero contact for ${user.name}`}>
                  Xero contact
                </Link>
              </>
            ) : (
              'Individual'
            )}
          </td>
          <td>{shortDate(user.createdAt)}</td>
        </tr>
      ))}
    </PagedTable>
  );
}
