/**
 * The logged-in session: the API's bearer token and the user it belongs to.
 *
 * Kept in sessionStorage, not localStorage or a cookie: the API takes a bearer token (no cookie
 * session to rely on), sessionStorage survives a reload of the tab but is not shared with other
 * tabs and is cleared when the tab closes, so a token left on a shared computer does not outlive
 * the visit. Scripts on the page could still read it, which is why the site's Content-Security-Policy
 * allows no inline or third-party scripts but Stripe's.
 */
import type { User } from './api/types';

export type { User };

export interface Session {
  readonly token: string;
  readonly expiresAt: string;
  readonly user: User;
}

const KEY = 'carpark.session';
type Listener = (session: Session | null) => void;
const listeners = new Set<Listener>();

export function readSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const session = JSON.parse(raw) as Session;
    if (Date.parse(session.expiresAt) <= Date.now()) {
      sessionStorage.removeItem(KEY);
      return null;
    }
    return session;
  } catch {
    return null;
  }
}

let loggedOut = false;

/** Whether the last session ended because the tenant logged out (not because it expired). */
export function endedByLogOut(): boolean {
  return loggedOut;
}

export function writeSession(session: Session | null, reason: 'logged-out' | 'expired' = 'expired'): void {
  loggedOut = session === null && reason === 'logged-out';
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
  for (const listener of listeners) listener(session);
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
