import { Link, useParams } from 'react-router';
import { Page } from '../../../components/page';
import { RequireSession } from '../../../lib/auth';

/** Where a payment that needs the card holder's authentication (3-D Secure) is completed. */
export default function AuthenticateRoute() {
  return (
    <RequireSession>
      <AuthenticatePage />
    </RequireSession>
  );
}

function AuthenticatePage() {
  const { invoiceId = '' } = useParams();
  return (
    <Page title="Confirm your payment">
      <div className="card">
        <p>Your bank asks you to confirm this payment. Pay the invoice from your billing page, where your bank's check opens.</p>
        <Link className="button" to={`/my/billing?pay=${encodeURIComponent(invoiceId)}`}>
          Go to billing
        </Link>
      </div>
    </Page>
  );
}
