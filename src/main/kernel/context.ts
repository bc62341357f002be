// What every service and handler works with: one database, one clock, one audit writer, one vault.
// Only port types here, so that everything can import the context and the context imports nothing above it.
import type { Clock } from './clock';
import type { CredentialVault } from './vault';
import type { PolicyData } from './policyData';
import type { AuditWriter, Db, Forwarder, HeadAnchor, SessionStore, TimerStore } from './ports';

export interface AppContext {
  db: Db;
  clock: Clock;
  audit: AuditWriter;
  anchor: HeadAnchor;
  /** Syslog forwarding, when the core runs long enough to forward (window, browser mode). */
  forwarder?: Forwarder;
  vault: CredentialVault;
  sessions: SessionStore;
  /** This core, as the owner of the impersonation sessions it runs (host, process, nonce). */
  owner: string;
  /** This core's impersonation expiry timers. */
  timers: TimerStore;
  /** The directory as decide() sees it, always current. */
  policy: () => PolicyData;
}
