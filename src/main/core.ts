// The core every adapter drives: Electron IPC, browser mode, the CLI and the tests.
import { createAuditWriter } from './audit/writer';
import { createHeadAnchor } from './audit/anchor';
import { currentChainKey } from './audit/keys';
import { SessionTable } from './auth/sessions';
import { systemClock, type Clock } from './clock';
import { createDispatch, type Dispatch } from './api/dispatch';
import { createHandlers } from './api/handlers';
import { openDatabase } from './store/db';
import { readSetting } from './store/settings';
import { createPolicySource } from './policy/source';
import { endAll, recoverOpenSessions } from './impersonation/lifecycle';
import { createForwarder } from './audit/forward';
import type { AppContext } from './context';
import type { VaultFactory } from './vault/vault';

export interface CoreOptions {
  dbPath: string;
  vault: VaultFactory;
  clock?: Clock;
  /** Forward the audit log to the configured syslog collector (long-running adapters only). */
  forward?: boolean;
}

export interface Core {
  app: AppContext;
  call: Dispatch;
  /** Waits for the audit head to be anchored, then closes the database. */
  close(): Promise<void>;
}

export async function createCore({ dbPath, vault, clock = systemClock, forward = false }: CoreOptions): Promise<Core> {
  const db = openDatabase(dbPath);
  const installId = readSetting(db, 'install_id');
  if (!installId) {
    db.close();
    throw new Error(`${dbPath} has no install id; the database is damaged.`);
  }
  const credentials = vault(installId);
  const app: AppContext = {
    db,
    clock,
    audit: createAuditWriter(db, clock, await currentChainKey(credentials, db)),
    anchor: createHeadAnchor(db, credentials),
    vault: credentials,
    sessions: new SessionTable(),
    policy: createPolicySource(db),
  };
  recoverOpenSessions(app); // R-S10: sessions a crash left open
  if (forward) app.forwarder = createForwarder(app);
  const dispatch = createDispatch(app, createHandlers(app));
  return {
    app,
    call: async (connectionId, method, input) => {
      const result = await dispatch(connectionId, method, input);
      void app.anchor.sync(); // after each commit batch
      return result;
    },
    close: async () => {
      if (!db.open) return; // closing twice is harmless
      endAll(app, 'quit');
      await app.forwarder?.drain().catch(() => undefined);
      app.forwarder?.stop();
      await app.anchor.sync();
      db.pragma('optimize'); // keeps the query planner's statistics current for the auditor's filters
      db.close();
    },
  };
}
