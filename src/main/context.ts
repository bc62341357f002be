// What every service and handler works with: one database, one clock, one audit writer, one vault.
import type { AuditWriter } from './audit/writer';
import type { Clock } from './clock';
import type { SessionTable } from './auth/sessions';
import type { Db } from './store/db';
import type { CredentialVault } from './vault/vault';

export interface AppContext {
  db: Db;
  clock: Clock;
  audit: AuditWriter;
  vault: CredentialVault;
  sessions: SessionTable;
}
