/**
 * An admin links a company account to the Xero contact it is invoiced as, chosen from Xero's own
 * contacts (searched live), so a mistyped id can never be linked.
 */
import { Link, useParams, useSearchParams } from 'react-router';
import { FormError, TextField } from '../../../components/form';
import { Page } from '../../../components/page';
import { Loading, Notice, QueryError } from '../../../components/status';
import { RequireConsole } from '../../../lib/auth';
import { useConsoleUser, useLinkXeroContact, useXeroContactPage } from '../api';
import { ConsoleNav } from '../components/console-nav';
import { PageButtons, useCursorPages } from '../components/cursor-pages';
import { TableScroll } from '../components/table-scroll';

export default function ConsoleXeroContactRoute() {
  return (
    <RequireConsole adminOnly>
      <ConsoleNav />
      <LinkXeroContact />
    </RequireConsole>
  );
}

function LinkXeroContact() {
  const { userId = '' } = useParams();
  const user = useConsoleUser(userId);
  const [params, setParams] = useSearchParams();
  const search = params.get('search') ?? '';
  const link = useLinkXeroContact(userId);
  if (user.isPending) return <Loading label="Loading the account…" />;
  if (user.isError) return <QueryError error={user.error} retry={() => void user.refetch()} />;
  const { name, email, accountType } = user.data;
  const back = (
    <p>
      <Link to="/console/users">Back to users</Link>
    </p>
  );
  if (accountType !== 'corporate') {
    return (
      <Page title={`Xero contact for ${name}`}>
        <Notice tone="warn">
          {name} ({email}) has an individual account. Only company accounts are invoiced in Xero.
        </Notice>
        {back}
      </Page>
    );
  }
  if (link.isSuccess) {
    return (
      <Page title={`Xero contact for ${name}`}>
        <Notice tone="ok">
          {name} is now invoiced as <strong>{link.data.contactName}</strong> in Xero. Their Xero invoices show on their billing page.
        </Notice>
        {back}
      </Page>
    );
  }
  return (
    <Page
      title={`Xero contact for ${name}`}
      lead={`Choose the Xero contact ${name} (${email}) is invoiced as. Their company's Xero invoices then show on their billing page.`}
    >
      <form
        className="card filters"
        role="search"
        aria-label="Xero contacts"
        onSubmit={(event) => {
          event.preventDefault();
          const text = String(new FormData(event.currentTarget).get('search') ?? '').trim();
          link.reset();
          setParams(text ? { search: text } : {});
        }}
      >
        <TextField label="Name, email or contact number" name="search" defaultValue={search} key={search} autoComplete="off" />
        <button type="submit">Search Xero</button>
      </form>
      <FormError error={link.error} />
      <ContactPages key={search} search={search} linking={link.isPending ? link.variables : undefined} onLink={(contactId) => link.mutate(contactId)} />
      {back}
    </Page>
  );
}

function ContactPages({ search, linking, onLink }: { search: string; linking: string | undefined; onLink: (contactId: string) => void }) {
  const pages = useCursorPages();
  const { cursor } = pages;
  const page = useXeroContactPage({ search, ...(cursor ? { cursor } : {}) });
  if (page.isPending) return <Loading label="Searching Xero…" />;
  if (page.isError) return <QueryError error={page.error} retry={() => void page.refetch()} />;
  const { items, nextCursor } = page.data;
  return (
    <section aria-labelledby="contacts-heading">
      <h2 id="contacts-heading">
        {search ? `Xero contacts matching “${search}”` : 'All Xero contacts'}, page {pages.pageNumber}
      </h2>
      {items.length === 0 ? (
        <p className="card">No active Xero contacts found. Archived contacts are not listed: restore one in Xero to link it.</p>
      ) : (
        <TableScroll className="card" label="Xero contacts">
          <table data-testid="xero-contacts" aria-busy={page.isPlaceholderData || undefined}>
            <caption className="visually-hidden">Xero contacts</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">
                  <span className="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((contact) => (
                <tr key={contact.contactId}>
                  <th scope="row">{contact.name}</th>
                  <td>{contact.email ?? '—'}</td>
                  <td>
                    <button
                      type="button"
                      onClick={() => onLink(contact.contactId)}
                      disabled={linking !== undefined}
                      aria-busy={linking === contact.contactId || undefined}
                      aria-label={`Link to ${contact.name}`}
                    >
                      {linking === contact.contactId ? 'Linking…' : 'Link'}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <PageButtons pages={pages} nextCursor={nextCursor} loading={page.isPlaceholderData} />
    </section>
  );
}
