// What every service and handler works with: one database, one clock, one audit writer, one vault.
import type { AuditWriter } from './audit/writer';
import type { HeadAnchor } from './audit/anchor';
import type { Forwarder } from './audit/forward';
import type { Clock } from './clock';
import type { SessionTable } from './auth/sessions';
import type { Db } from './store/db';
import type { CredentialVault } from './vault/vault';
import type { PolicyData } from './policy/data';

export interface AppContext {
  db: Db;
  clock: Clock;
  audit: AuditWriter;
  anchor: HeadAnchor;
  /** Syslog forwarding, when the core runs long enough to forward (window, browser mode). */
  forwarder?: Forwarder;
  vault: CredentialVault;
  sessions: SessionTable;
  /** The directory as decide() sees it, always current. */
  policy: () => PolicyData;
}
