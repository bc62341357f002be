// `deputy restore FILE` (issue 22 #5): puts a backup back in place of the database, after checking it and asking.
// The file is checked (a Deputy database, whole, its audit chain verifying) and copied beside the database first; a
// file that fails is refused before anything is replaced. The restore is recorded twice: in the database it replaces,
// just before, and in the restored one, written into the copy before the copy takes the database's place, so the
// record is there from the first moment the restored database is.
import { copyFileSync, existsSync, linkSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { anchorRestoredHead, createHeadAnchor, logHead } from '../audit/anchor';
import { createAuditWriter } from '../audit/writer';
import { currentChainKey } from '../audit/keys';
import { createCore } from '../core';
import { DeputyError } from '../kernel/errors';
import { checkExisting } from '../store/fileCheck';
import { copyOnline } from '../store/backupFiles';
import { openElsewhere } from '../store/inUse';
import { readSetting } from '../store/settings';
import { systemClock, type Clock } from '../kernel/clock';
import { openCheckedCopy } from './check';
import { sha256Of } from './backup';
import type { Head } from '../kernel/ports';
import type { VaultFactory } from '../kernel/vault';

export interface RestorePlan {
  dbPath: string;
  file: string;
  /** The backup as it will be put back (migrated to this version's schema when it was older). */
  backup: { schema: number; fromSchema: number; records: number; head: Head | null; sha256: string };
  /** The database it replaces: null when there is none; `damaged` with why when it cannot be opened. */
  current: { state: 'whole'; head: Head | null } | { state: 'damaged'; why: string } | null;
  /** Where the database it replaces is kept. */
  keptAs: string | null;
}

export interface RestoreOptions {
  dbPath: string;
  file: string;
  vault: VaultFactory;
  clock?: Clock;
  /** Shown the plan; true to go ahead. The CLI asks on the terminal, or takes --yes. */
  confirm(plan: RestorePlan): Promise<boolean>;
}

export type RestoreOutcome = { restored: false; plan: RestorePlan } | { restored: true; plan: RestorePlan; head: Head };

const stamp = (at: Date) =>
  at
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replaceAll(':', '-');
const refuse = (message: string): never => {
  throw new DeputyError('invalid_input', message);
};

function refuseWhileOpen(dbPath: string): void {
  if (openElsewhere(dbPath)) {
    throw new DeputyError(
      'conflict',
      `${dbPath} is open in a running Deputy (the window, deputy serve or another command). Close it first: a ` +
        `restore replaces the file, and a console still holding it would go on writing to the one replaced. ` +
        `Nothing was replaced.`,
    );
  }
}

/** The database being replaced: whole (with its install id and head), damaged, or refused outright. */
async function currentState(dbPath: string): Promise<{ plan: RestorePlan['current']; installId: string | null }> {
  if (!existsSync(dbPath) || statSync(dbPath).size === 0) return { plan: null, installId: null };
  class Damaged extends Error {}
  let installId: string | null = null;
  let head: Head | null = null;
  try {
    await checkExisting(
      dbPath,
      async (db) => {
        installId = readSetting(db, 'install_id') ?? null;
        head = logHead(db);
      },
      (_path, what) => {
        throw new Damaged(what);
      },
    );
    return { plan: { state: 'whole', head }, installId };
  } catch (err) {
    if (err instanceof Damaged) return { plan: { state: 'damaged', why: err.message }, installId: null };
    throw new DeputyError(
      'invalid_input',
      `${(err as Error).message.replace(/ It was left untouched\.$/, '')} A restore replaces only a Deputy ` +
        `database: give its path with --db. Nothing was replaced.`,
    );
  }
}

/** Puts the database aside under `keptAs`, with its WAL (a damaged file's unwritten pages), and the copy in its place. */
function swapIn(dbPath: string, copy: string, keptAs: string | null): void {
  if (keptAs) {
    try {
      linkSync(dbPath, keptAs); // the name moves, not the bytes: instant, and the old file is never missing
    } catch {
      copyFileSync(dbPath, keptAs);
    }
    if (existsSync(`${dbPath}-wal`)) renameSync(`${dbPath}-wal`, `${keptAs}-wal`);
    rmSync(`${dbPath}-shm`, { force: true });
  }
  renameSync(copy, dbPath); // atomic: the database is the old file or the restored one, never neither
}

export async function restoreBackup(options: RestoreOptions): Promise<RestoreOutcome> {
  const { dbPath, file, vault, clock = systemClock } = options;
  if (!existsSync(file)) refuse(`${file} does not exist. Nothing was replaced.`);
  if (statSync(file).size === 0) refuse(`${file} is empty: it is not a Deputy backup. Nothing was replaced.`);
  if (resolve(file) === resolve(dbPath)) refuse(`${file} is the database itself, not a backup of it.`);
  mkdirSync(dirname(dbPath), { recursive: true }); // a new machine: the database's folder may not exist yet
  refuseWhileOpen(dbPath);
  const current = await currentState(dbPath);

  const copy = `${dbPath}.restoring`;
  for (const f of [copy, `${copy}-wal`, `${copy}-shm`]) rmSync(f, { force: true }); // a restore that stopped
  let fromSchema = 0;
  try {
    await checkExisting(
      file,
      async (source, found) => {
        if (found.kind !== 'deputy') refuse(`${file} holds no Deputy database: it is not a Deputy backup.`);
        if (found.kind === 'deputy') fromSchema = found.version;
        await copyOnline(source, copy);
      },
      (path, what) => refuse(`${path} is damaged: ${what}. It cannot be restored.`),
    );
  } catch (err) {
    rmSync(copy, { force: true });
    const message = (err as Error).message.replace(/ It was left untouched\.$/, '');
    throw new DeputyError('invalid_input', `${message} Nothing was replaced.`);
  }

  let checked;
  try {
    checked = await openCheckedCopy(copy, file, vault);
  } catch (err) {
    for (const f of [copy, `${copy}-wal`, `${copy}-shm`]) rmSync(f, { force: true });
    throw new DeputyError('invalid_input', `${(err as Error).message} Nothing was replaced.`);
  }
  const { db, installId } = checked;
  const drop = () => {
    if (db.open) db.close();
    for (const f of [copy, `${copy}-wal`, `${copy}-shm`]) rmSync(f, { force: true });
  };
  try {
    if (current.installId && current.installId !== installId) {
      refuse(
        `${file} is a backup of another Deputy database (install ${installId}), not of ${dbPath} ` +
          `(install ${current.installId}). Nothing was replaced.`,
      );
    }
    const at = clock();
    const plan: RestorePlan = {
      dbPath,
      file,
      backup: {
        schema: checked.schema,
        fromSchema,
        records: checked.audit.count,
        head: checked.audit.head,
        sha256: await sha256Of(file),
      },
      current: current.plan,
      keptAs: current.plan ? `${dbPath}.before-restore.${stamp(at)}.db` : null,
    };
    if (!(await options.confirm(plan))) {
      drop();
      return { restored: false, plan };
    }
    // Once more, before anything is written: a console may have started while the operator was being asked.
    refuseWhileOpen(dbPath);
    const ranBy = userInfo().username;
    const credentials = vault(installId);

    // The record in the database being replaced, while it is still the database (a damaged one cannot take it).
    if (current.plan?.state === 'whole') {
      const old = await createCore({ dbPath, vault, clock });
      try {
        old.app.audit.append({
          operator: null,
          action: 'backup.restore',
          target: file,
          message: `Replacing this database with the backup ${file}; it is kept as ${plan.keptAs}`,
          details: { phase: 'before', backup: plan.backup, keptAs: plan.keptAs, ranBy },
        });
      } finally {
        await old.close();
      }
    }
    const replaced = await createHeadAnchor(db, credentials).read();

    // The record in the restored database, in the copy before it takes the database's place.
    const writer = createAuditWriter(db, clock, await currentChainKey(credentials, db));
    writer.append({
      operator: null,
      action: 'backup.restore',
      target: file,
      message:
        `Restored from the backup ${file} (${plan.backup.records} audit records` +
        `${replaced ? `; the log it replaced was anchored at record ${replaced.seq}` : ''})` +
        `${plan.keptAs ? `; the replaced database is kept as ${plan.keptAs}` : ''}`,
      details: { phase: 'after', backup: plan.backup, replacedHead: replaced, keptAs: plan.keptAs, ranBy },
    });
    db.close(); // checkpoints the copy into one file

    swapIn(dbPath, copy, plan.keptAs);
    const restored = await createCore({ dbPath, vault, clock });
    let head: Head | null;
    try {
      head = await anchorRestoredHead(restored.app.db, credentials);
    } finally {
      await restored.close();
    }
    if (!head) throw new Error('the restored database has no audit record');
    return { restored: true, plan, head };
  } catch (err) {
    if (existsSync(copy)) drop();
    throw err;
  }
}
