// The core every adapter drives: Electron IPC, browser mode, the CLI and the tests.
import { createAuditWriter } from './audit/writer';
import { SessionTable } from './auth/sessions';
import { systemClock, type Clock } from './clock';
import { createDispatch, type Dispatch } from './api/dispatch';
import { createHandlers } from './api/handlers';
import { openDatabase } from './store/db';
import { readSetting } from './store/settings';
import { createPolicySource } from './policy/source';
import type { AppContext } from './context';
import type { VaultFactory } from './vault/vault';

export interface CoreOptions {
  dbPath: string;
  vault: VaultFactory;
  clock?: Clock;
}

export interface Core {
  app: AppContext;
  call: Dispatch;
  close(): void;
}

export function createCore({ dbPath, vault, clock = systemClock }: CoreOptions): Core {
  const db = openDatabase(dbPath);
  const installId = readSetting(db, 'install_id');
  if (!installId) {
    db.close();
    throw new Error(`${dbPath} has no install id; the database is damaged.`);
  }
  const app: AppContext = {
    db,
    clock,
    audit: createAuditWriter(db, clock),
    vault: vault(installId),
    sessions: new SessionTable(),
    policy: createPolicySource(db),
  };
  return { app, call: createDispatch(app, createHandlers(app)), close: () => db.close() };
}
