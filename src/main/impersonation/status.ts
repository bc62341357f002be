import { sessionTerms } from '../store/impersonationSessions';
import { unseenNotices } from '../store/notices';
import type { AppContext } from '../kernel/context';
import type { OperatorCaller } from '../kernel/caller';
import type { Impersonation, Notice } from '../../shared/model';

/** The running session as the window shows it (banner, time left). */
export function currentImpersonation(app: AppContext, caller: OperatorCaller): Impersonation | null {
  const who = caller.onBehalfOf;
  if (!who || caller.impersonationId === undefined) return null;
  return {
    id: caller.impersonationId,
    user: { username: who.username, displayName: who.displayName, roles: who.roles },
    ...sessionTerms(app.db, caller.impersonationId),
  };
}

export function unreadNotices(app: AppContext, username: string): Notice[] {
  return unseenNotices(app.db, username);
}
