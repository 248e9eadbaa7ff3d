/** Who is logged in, for components: `useSession()`, `<RequireSession>` around the /my pages. */
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useSyncExternalStore, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
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

/** A `next` parameter only ever leads to a page of this site. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/my/tenancies';
}
