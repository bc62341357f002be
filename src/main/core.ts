// The core every adapter drives: Electron IPC, browser mode, the CLI and the tests.
import { existsSync, statSync } from 'node:fs';
import { createAuditWriter } from './audit/writer';
import { createHeadAnchor } from './audit/anchor';
import { currentChainKey } from './audit/keys';
import { SessionTable } from './auth/sessions';
import { systemClock, type Clock } from './kernel/clock';
import { createPrepare, type ConnectionCall, type Dispatch } from './api/dispatch';
import { sessionCredential } from './callers/resolve';
import { createTimers } from './impersonation/timers';
import { createHandlers } from './api/handlers';
import { openDatabase } from './store/db';
import { storageFailure } from './store/storageFailure';
import { createGroupCommit, type GroupCommit } from './store/groupCommit';
import { readSetting } from './store/settings';
import { createPolicySource } from './policy/source';
import { sweepRetiredSecrets } from './portals/keys';
import { endAll, recoverOpenSessions, superviseSessionsWhileRunning } from './impersonation/lifecycle';
import { endOperatorSession } from './auth/signIn';
import { newOwner } from './impersonation/owner';
import { createForwarder } from './audit/forward';
import type { AppContext } from './kernel/context';
import type { VaultFactory } from './kernel/vault';
import type { Result } from '../shared/result';

export interface CoreOptions {
  dbPath: string;
  vault: VaultFactory;
  clock?: Clock;
  /** Forward the audit log to the configured syslog collector (long-running adapters only). */
  forward?: boolean;
  /** Back an older database up beside itself before migrating it (default true; restore's own copy says false). */
  backupBeforeUpgrade?: boolean;
}

/** What opening the file did: adapters say where the database is on first start, and where the upgrade's backup went. */
export interface Opened {
  path: string;
  /** The file did not exist (or was empty): this start created the database. */
  created: boolean;
  /** The backup taken before migrating a database of an older schema. */
  upgradeBackup: { path: string; fromVersion: number } | null;
}

export interface Core {
  app: AppContext;
  /** A call from an operator's connection (window, browser mode, CLI, tests). */
  call: ConnectionCall;
  /** A call with any credential: an operator's connection, or a program's access key. */
  callWith: Dispatch;
  /** The batches programs' calls commit in (store/groupCommit.ts); its stats are the bench's. */
  groupCommit: GroupCommit;
  opened: Opened;
  /**
   * A connection gone for good (a window closed while the app runs on, as on macOS): its operator session ends, and
   * its impersonation with it, recorded, rather than running on unseen until it expires.
   */
  closeConnection(connectionId: string): void;
  /** Waits for the audit head to be anchored, then closes the database. */
  close(): Promise<void>;
}

export async function createCore({
  dbPath,
  vault,
  clock = systemClock,
  forward = false,
  backupBeforeUpgrade = true,
}: CoreOptions): Promise<Core> {
  const opened: Opened = {
    path: dbPath,
    created: !(existsSync(dbPath) && statSync(dbPath).size > 0),
    upgradeBackup: null,
  };
  const db = await openDatabase(dbPath, {
    clock,
    backupBeforeUpgrade,
    onBackup: (path, fromVersion) => (opened.upgradeBackup = { path, fromVersion }),
  });
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
    owner: newOwner(),
    timers: createTimers(clock),
    policy: createPolicySource(db),
  };
  recoverOpenSessions(app); // R-S10: sessions a crash left open
  await sweepRetiredSecrets(app); // R-A5: the secrets of portal key rotations a crash cut short
  const stopSupervising = superviseSessionsWhileRunning(app);
  if (forward) app.forwarder = createForwarder(app);
  const prepare = createPrepare(app, createHandlers(app));
  const groupCommit = createGroupCommit(db, (work) => app.audit.indexingOnce(work));
  const callWith: Dispatch = async (credential, method, input, identified) => {
    const settle = await prepare(credential, method, input, identified);
    let result: Result<unknown>;
    if (credential.kind !== 'session') {
      // Programs call concurrently and many at a time (the service API): their calls commit in groups, one fsync for
      // all the calls that came in meanwhile (store/groupCommit.ts). The console's calls, one person's and some of
      // them awaiting the keychain between writes, commit one by one as before.
      try {
        result = await groupCommit.run(settle);
      } catch (err) {
        // The batch's COMMIT failed, or this call could not even record its own failure (disk full, storage gone):
        // nothing of it was kept.
        const reason = err instanceof Error ? err.message : String(err);
        result = {
          ok: false,
          error: storageFailure(err)?.toApiError() ?? {
            code: 'storage',
            message: `The change could not be saved (${reason}).`,
          },
        };
      }
    } else {
      result = await settle();
    }
    void app.anchor.sync(); // after each commit batch
    return result;
  };
  return {
    app,
    call: (connectionId, method, input) => callWith(sessionCredential(connectionId), method, input),
    callWith,
    groupCommit,
    opened,
    closeConnection: (connectionId) => {
      if (db.open) endOperatorSession(app, connectionId, 'quit', 'the window was closed');
    },
    close: async () => {
      if (!db.open) return; // closing twice is harmless
      await groupCommit.idle(); // calls already accepted are answered before the database goes
      stopSupervising();
      endAll(app, 'quit');
      await app.forwarder?.drain().catch(() => undefined);
      app.forwarder?.stop();
      await app.anchor.sync();
      db.pragma('optimize'); // keeps the query planner's statistics current for the auditor's filters
      db.close();
    },
  };
}
