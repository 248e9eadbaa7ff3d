import { Suspense } from 'react';
import { Link, NavLink, Outlet, useNavigate, useNavigation } from 'react-router';
import { Loading } from '../components/status';
import { useHasOwnTenancies } from '../features/tenancies/api';
import { canUseConsole, useLogOut, useSession } from '../lib/auth';

export function Layout() {
  const session = useSession();
  const logOut = useLogOut();
  const navigate = useNavigate();
  const navigation = useNavigation();
  // An operator who rented as a tenant keeps those tenancies and their billing.
  const ownTenancies = useHasOwnTenancies(session?.user.role === 'operator');
  const tenantLinks = (
    <>
      <li>
        <NavLink to="/my/tenancies">My tenancies</NavLink>
      </li>
      <li>
        <NavLink to="/my/billing">Billing</NavLink>
      </li>
    </>
  );
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <Link to="/" className="brand">
          Carpark Tenancy
        </Link>
        <nav aria-label="Main">
          <ul>
            <li>
              <NavLink to="/" end>
                Car parks
              </NavLink>
            </li>
            {session ? (
              <>
                {canUseConsole(session) ? (
                  <>
                    <li>
                      <NavLink to="/console">Console</NavLink>
                    </li>
                    {ownTenancies && tenantLinks}
                  </>
                ) : (
                  // Renting and paying are a tenant's; operators and admins run car parks.
                  tenantLinks
                )}
                <li>
                  <NavLink to="/my/account">Account</NavLink>
                </li>
                <li>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => {
                      logOut();
                      void navigate('/login?loggedOut=1');
                    }}
                  >
                    Log out
                  </button>
                </li>
              </>
            ) : (
              <>
                <li>
                  <NavLink to="/login">Log in</NavLink>
                </li>
                <li>
                  <NavLink to="/signup">Sign up</NavLink>
                </li>
              </>
            )}
          </ul>
        </nav>
      </header>
      <main id="main" aria-busy={navigation.state === 'loading' || undefined}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="site-footer">
        <Link to="/contact-us">Contact us</Link>
        <Link to="/docs">API reference</Link>
        {session && <span className="muted">Logged in as {session.user.email}</span>}
      </footer>
    </>
  );
}

export function RouteError() {
  return (
    <div className="alert alert-error" role="alert">
      <p>This page could not be loaded. Check your connection and reload the page.</p>
    </div>
  );
}
