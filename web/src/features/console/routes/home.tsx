import { Link } from 'react-router';
import { Page } from '../../../components/page';
import { RequireConsole, useSession } from '../../../lib/auth';
import { ConsoleNav } from '../components/console-nav';

export default function ConsoleHomeRoute() {
  return (
    <RequireConsole>
      <ConsoleHome />
    </RequireConsole>
  );
}

function ConsoleHome() {
  const session = useSession()!;
  const admin = session.user.role === 'admin';
  return (
    <>
      <ConsoleNav />
      <Page
        title="Console"
        lead={admin ? 'Every car park, tenancy and account on the platform.' : 'Your car parks and the tenancies at them.'}
      >
        <ul className="card-list">
          <li>
            <section className="card">
              <h2>
                <Link to="/console/carparks">{admin ? 'Car parks' : 'My car parks'}</Link>
              </h2>
              <p>Spaces, prices and free spaces per vehicle type; add a car park or change one.</p>
            </section>
          </li>
          <li>
            <section className="card">
              <h2>
                <Link to="/console/tenancies">Tenancies</Link>
              </h2>
              <p>Who parks where, by car park and status.</p>
            </section>
          </li>
          <li>
            <section className="card">
              <h2>
                <Link to="/console/plates">Plate look-up</Link>
              </h2>
              <p>Whose car is this? A plate’s tenancies and whether it opens the barrier now.</p>
            </section>
          </li>
          {admin && (
            <li>
              <section className="card">
                <h2>
                  <Link to="/console/applications">Operator applications</Link>
                </h2>
                <p>Companies asking to list their car parks: approve or reject each.</p>
              </section>
            </li>
          )}
          {admin && (
            <li>
              <section className="card">
                <h2>
                  <Link to="/console/users">Users</Link>
                </h2>
                <p>Every account, found by the start of its email or name.</p>
              </section>
            </li>
          )}
        </ul>
      </Page>
    </>
  );
}
