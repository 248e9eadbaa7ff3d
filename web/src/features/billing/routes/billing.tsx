import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { FormError } from '../../../components/form';
import { Page } from '../../../components/page';
import { Loading, Notice, QueryError } from '../../../components/status';
import { ApiError } from '../../../lib/api-client';
import { RequireSession } from '../../../lib/auth';
import { invoiceStatusName, money, period, shortDate } from '../../../lib/format';
import { unpaidInvoices, useBilling, usePayInvoice, type Billing, type Invoice } from '../api';
import { CardForm } from '../components/card-form';

export default function BillingRoute() {
  return (
    <RequireSession>
      <BillingPage />
    </RequireSession>
  );
}

function BillingPage() {
  const billing = useBilling();
  return (
    <Page title="Billing">
      {billing.isPending ? (
        <Loading label="Loading billing…" />
      ) : billing.isError ? (
        <QueryError error={billing.error} retry={() => void billing.refetch()} />
      ) : (
        <>
          <UnpaidBanner billing={billing.data} />
          <CardOnFile billing={billing.data} />
          <Invoices billing={billing.data} />
          {billing.data.xeroInvoices && <XeroInvoices invoices={billing.data.xeroInvoices} />}
        </>
      )}
    </Page>
  );
}

function UnpaidBanner({ billing }: { billing: Billing }) {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const pay = usePayInvoice();
  const button = useRef<HTMLButtonElement>(null);
  const unpaid = unpaidInvoices(billing);
  const requested = params.get('pay');
  const invoice = unpaid.find((i) => i.invoiceId === requested) ?? unpaid[0];

  useEffect(() => {
    if (requested && invoice?.invoiceId === requested) button.current?.focus();
  }, [requested, invoice?.invoiceId]);

  if (pay.isSuccess && !invoice) return <Notice tone="ok">Thank you: the invoice is paid.</Notice>;
  if (!invoice) {
    return requested ? <Notice tone="ok">That invoice is already paid: nothing to do.</Notice> : null;
  }
  const due = invoice.amountDue - invoice.amountPaid;
  const declined = pay.error instanceof ApiError && pay.error.code === 'card_declined';
  return (
    <section className="alert alert-warn banner" aria-labelledby="unpaid-heading" data-testid="unpaid-banner">
      <h2 id="unpaid-heading">An invoice is unpaid</h2>
      <p>
        {money(due, invoice.currency)} for {period(invoice.periodStart, invoice.periodEnd)}
        {invoice.number ? ` (invoice ${invoice.number})` : ''} has not been paid. Pay it now with your card on file to keep your access.
      </p>
      {pay.error ? (
        declined ? (
          <div className="alert alert-error" role="alert">
            <p>{pay.error.message} Replace your card below; a new card pays unpaid invoices straight away.</p>
          </div>
        ) : (
          <FormError error={pay.error} />
        )
      ) : null}
      <button
        ref={button}
        type="button"
        disabled={pay.isPending || !billing.defaultCard}
        onClick={() =>
          pay.mutate(invoice.invoiceId, {
            onError: (error) => {
              if (error instanceof ApiError && error.code === 'authentication_required') {
                void navigate(`/my/billing/authenticate/${invoice.invoiceId}`);
              }
            },
          })
        }
      >
        {pay.isPending ? 'Paying…' : `Pay ${money(due, invoice.currency)} now`}
      </button>
      {!billing.defaultCard && <p>Add a card below first.</p>}
    </section>
  );
}

function CardOnFile({ billing }: { billing: Billing }) {
  const [replacing, setReplacing] = useState(false);
  const [saved, setSaved] = useState(false);
  const card = billing.defaultCard;
  return (
    <section className="card" aria-labelledby="card-heading">
      <h2 id="card-heading">Card on file</h2>
      {saved && <Notice tone="ok">Your card is saved.</Notice>}
      {card ? (
        <p data-testid="card-on-file">
          <span className="brand-name">{card.brand.toUpperCase()}</span> ending {card.last4}, expires{' '}
          {String(card.expMonth).padStart(2, '0')}/{card.expYear}
        </p>
      ) : (
        <p>No card on file yet. Add one to rent a space.</p>
      )}
      {replacing || !card ? (
        <CardForm
          submitLabel={card ? 'Use this card' : 'Save card'}
          onSaved={() => {
            setReplacing(false);
            setSaved(true);
          }}
        />
      ) : (
        <button type="button" className="secondary" onClick={() => setReplacing(true)}>
          Replace card
        </button>
      )}
    </section>
  );
}

function Invoices({ billing }: { billing: Billing }) {
  const [params] = useSearchParams();
  const highlighted = params.get('invoice');
  const row = useRef<HTMLTableRowElement>(null);
  useEffect(() => row.current?.scrollIntoView({ block: 'center' }), [highlighted]);
  const upcoming = billing.upcomingInvoice;
  return (
    <section className="card" aria-labelledby="invoices-heading">
      <h2 id="invoices-heading">Invoices</h2>
      {upcoming && (
        <p>
          Next invoice: {money(upcoming.amountDue, upcoming.currency)} for {period(upcoming.periodStart, upcoming.periodEnd)}.
        </p>
      )}
      {billing.recentInvoices.length === 0 ? (
        <p className="muted">No invoices yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="invoices">
            <thead>
              <tr>
                <th scope="col">Period</th>
                <th scope="col">Amount</th>
                <th scope="col">Status</th>
                <th scope="col">Invoice</th>
              </tr>
            </thead>
            <tbody>
              {billing.recentInvoices.map((invoice) => (
                <InvoiceRow key={invoice.invoiceId} invoice={invoice} highlighted={invoice.invoiceId === highlighted} rowRef={row} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {highlighted && !billing.recentInvoices.some((i) => i.invoiceId === highlighted) && (
        <p className="muted">The invoice from your email is not among the recent ones.</p>
      )}
    </section>
  );
}

function InvoiceRow({
  invoice,
  highlighted,
  rowRef,
}: {
  invoice: Invoice;
  highlighted: boolean;
  rowRef: React.RefObject<HTMLTableRowElement | null>;
}) {
  return (
    <tr ref={highlighted ? rowRef : undefined} className={highlighted ? 'highlight' : undefined} aria-current={highlighted || undefined}>
      <td>{period(invoice.periodStart, invoice.periodEnd)}</td>
      <td>{money(invoice.amountDue, invoice.currency)}</td>
      <td>
        <span className={`status status-${invoice.status ?? 'unknown'}`}>{invoiceStatusName(invoice.status)}</span>
      </td>
      <td>
        {invoice.hostedInvoiceUrl ? (
          <a href={invoice.hostedInvoiceUrl} target="_blank" rel="noreferrer">
            View {invoice.number ?? 'invoice'}
            <span className="visually-hidden"> (opens in a new tab)</span>
          </a>
        ) : (
          (invoice.number ?? '—')
        )}
      </td>
    </tr>
  );
}

function XeroInvoices({ invoices }: { invoices: NonNullable<Billing['xeroInvoices']> }) {
  return (
    <section className="card" aria-labelledby="xero-heading">
      <h2 id="xero-heading">Company invoices</h2>
      {invoices.status === 'unavailable' ? (
        <Notice tone="warn">{invoices.message}</Notice>
      ) : invoices.items.length === 0 ? (
        <p className="muted">No company invoices yet.</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Invoice</th>
                <th scope="col">Issued</th>
                <th scope="col">Due</th>
                <th scope="col">Total</th>
                <th scope="col">Still to pay</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {invoices.items.map((invoice) => (
                <tr key={invoice.invoiceNumber}>
                  <td>
                    {invoice.onlineUrl ? (
                      <a href={invoice.onlineUrl} target="_blank" rel="noreferrer">
                        {invoice.invoiceNumber}
                        <span className="visually-hidden"> (online invoice, opens in a new tab)</span>
                      </a>
                    ) : (
                      invoice.invoiceNumber
                    )}
                  </td>
                  <td>{shortDate(invoice.issuedOn)}</td>
                  <td>{invoice.dueOn ? shortDate(invoice.dueOn) : '—'}</td>
                  <td>{money(invoice.total, invoice.currency)}</td>
                  <td>{money(invoice.amountDue, invoice.currency)}</td>
                  <td>{invoice.status.replaceAll('_', ' ').replace(/^./, (first) => first.toUpperCase())}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted">
        Company accounts are invoiced through Xero. Questions? <Link to="/contact-us">Contact us</Link>.
      </p>
    </section>
  );
}
