import { NavLink } from 'react-router';
import { useSession } from '../../../lib/auth';

/** The console's own sections, under the site's navigation. */
export function ConsoleNav() {
  const session = useSession();
  const admin = session?.user.role === 'admin';
  return (
    <nav aria-label="Console" className="console-nav">
      <ul>
        <li>
          <NavLink to="/console" end>
            Overview
          </NavLink>
        </li>
        <li>
          <NavLink to="/console/dashboard">Dashboard</NavLink>
        </li>
        <li>
          <NavLink to="/console/carparks">{admin ? 'Car parks' : 'My car parks'}</NavLink>
        </li>
        <li>
          <NavLink to="/console/tenancies">Tenancies</NavLink>
        </li>
        <li>
          <NavLink to="/console/plates">Plate look-up</NavLink>
        </li>
        {admin && (
          <>
            <li>
              <NavLink to="/console/platform">Platform</NavLink>
            </li>
            <li>
              <NavLink to="/console/operators">Operators</NavLink>
            </li>
            <li>
              <NavLink to="/console/applications">Applications</NavLink>
            </li>
            <li>
              <NavLink to="/console/users">Users</NavLink>
            </li>
          </>
        )}
      </ul>
    </nav>
  );
}
