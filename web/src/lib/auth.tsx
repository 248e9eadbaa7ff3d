/**
 * Who is logged in, for components: `useSession()`, `<RequireSession>` around the /my pages,
 * `<RequireConsole>` around the /console pages (operators and admins).
 */
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useSyncExternalStore, type ReactNode } from 'react';
import { Link, Navigate, useLocation } from 'react-router';
import { Page } from '../components/page';
import { endedByLogOut, onSessionChange, readSession, writeSession, type Session } from './session';

let cached: Session | null | undefined;
const subscribe = (notify: () => void) =>
  onSessionChange((session) => {
    cached = session;
    notify();
  });
const snapshot = () => (cached === undefined ? (cached = readSession()) : cached);

export function useSession(): Session | null {
  return useSyncExternalStore(subscribe, snapshot);
}

export function useLogOut(): () => void {
  const queryClient = useQueryClient();
  return useCallback(() => {
    writeSession(null, 'logged-out');
    queryClient.clear();
  }, [queryClient]);
}

/** The page for the logged-in tenant only; anyone else is sent to log in and brought back. */
export function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (!session) {
    // Logged out on this page: to the log-in page, saying so, not back here afterwards.
    if (endedByLogOut()) return <Navigate to="/login?loggedOut=1" replace />;
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <>{children}</>;
}

/**
 * Where logging in leads: the `next` parameter, only ever a page of this site; otherwise the
 * user's own start page (the console for those who run car parks, their tenancies for tenants).
 */
export function safeNext(next: string | null, role?: string): string {
  if (next && next.startsWith('/') && !next.startsWith('//')) return next;
  return role && (CONSOLE_ROLES as readonly string[]).includes(role) ? '/console' : '/my/tenancies';
}

/** Operators and admins run car parks: the console is theirs. */
export const CONSOLE_ROLES = ['operator', 'admin'] as const;

export function canUseConsole(session: Session | null): boolean {
  return session !== null && (CONSOLE_ROLES as readonly string[]).includes(session.user.role);
}

/**
 * A console page: anonymous visitors are sent to log in and brought back; a tenant is told the
 * console is not for their account (the API would refuse its calls anyway).
 */
export function RequireConsole({ children, adminOnly = false }: { children: ReactNode; adminOnly?: boolean }) {
  const session = useSession();
  if (!session) return <RequireSession>{children}</RequireSession>;
  const allowed = adminOnly ? session.user.role === 'admin' : canUseConsole(session);
  if (!allowed) return <NotForYourAccount adminOnly={adminOnly} />;
  return <>{children}</>;
}

function NotForYourAccount({ adminOnly }: { adminOnly: boolean }) {
  return (
    <Page title="Not for your account">
      <div className="alert alert-info" role="status" data-testid="not-for-your-account">
        <p>
          {adminOnly
            ? 'This page of the console is for platform administrators only.'
            : 'The console is for car park operators and platform administrators. Your account is a tenant’s account.'}
        </p>
      </div>
      <p>
        <Link to={adminOnly ? '/console' : '/my/tenancies'}>{adminOnly ? 'Back to the console' : 'See your tenancies'}</Link>
      </p>
    </Page>
  );
}
