// The chain's head (seq, hash) is anchored in the OS keychain after each commit batch, so cutting
// records off the end of the log (truncation) is detected too. The anchor only moves forward along
// the same chain: when the log no longer holds the anchored record, the anchor stays as evidence.
//
// One anchor per install, so it names the file it anchors: a copy of the database (a backup, a file copied for an
// auditor) has the same install id and the same chain, but moves on by itself once opened, and anchoring it would
// move the live log's anchor onto a head the live log never had (a false "cut off" there), or the copy's verify would
// hold the live log's anchor against it. A copy is any other file while the anchored one still exists; a database
// moved to another place takes its anchor along (the anchored file is gone, the anchored record is in it).
import { existsSync, realpathSync } from 'node:fs';
import type { CredentialVault } from '../kernel/vault';
import type { Db, Head, HeadAnchor } from '../kernel/ports';

const ACCOUNT = 'audit-head';

/** What the keychain holds: the head, and the file whose head it is (absent in anchors written before it was kept). */
export interface AnchoredHead extends Head {
  file?: string;
}

/** The newest record's (seq, hash), or null for an empty log. */
export const logHead = (db: Db): Head | null =>
  (db.prepare(`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).get() as Head | undefined) ?? null;

/** The database file as the anchor names it: its real path, the same however it was reached. */
export function fileOf(db: Db): string {
  try {
    return realpathSync(db.name);
  } catch {
    return db.name;
  }
}

/**
 * The file the anchor belongs to, when `db` is not it: a copy of that log, whose head the anchor says nothing about.
 * Null for the anchored file itself, or when the anchor names no file (written before anchors did) or a file gone.
 */
export function anchoredElsewhere(db: Db, anchored: AnchoredHead | null): string | null {
  const file = anchored?.file;
  return file && file !== fileOf(db) && existsSync(file) ? file : null;
}

/**
 * Restore only (`deputy restore`, src/main/backups/restore.ts): anchors the head of the log just put back, although
 * the anchored record is not in it, since a restore goes back in time by design. The restore's record, the newest in
 * the restored log, names the head it replaced; nothing else ever moves the anchor back.
 */
export async function anchorRestoredHead(db: Db, vault: CredentialVault): Promise<Head | null> {
  const head = logHead(db);
  if (!head) return null;
  await vault.set(ACCOUNT, JSON.stringify({ ...head, file: fileOf(db) } satisfies AnchoredHead));
  return head;
}

export function createHeadAnchor(db: Db, vault: CredentialVault): HeadAnchor {
  const file = fileOf(db);
  const tail = db.prepare(`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`);
  const hashAt = db.prepare(`SELECT hash FROM audit_log WHERE seq = ?`).pluck();
  /** The head this process anchored last: while the log's head is still that, there is nothing to write. */
  let written: Head | null = null;
  let queue = Promise.resolve();
  /** The step queued and not started yet, which every sync() meanwhile shares. */
  let waiting: Promise<void> | null = null;

  async function read(): Promise<AnchoredHead | null> {
    try {
      return await readAnchor();
    } catch {
      return null;
    }
  }

  /** The anchor as the keychain holds it now; throws when the keychain cannot be read (then nothing is written). */
  async function readAnchor(): Promise<AnchoredHead | null> {
    const text = await vault.get(ACCOUNT);
    return text ? (JSON.parse(text) as AnchoredHead) : null;
  }

  async function step(): Promise<void> {
    const head = tail.get() as Head | undefined;
    if (!head || (written && written.seq === head.seq && written.hash === head.hash)) return;
    // Read each time, never remembered: another process on this file (the CLI beside the window, a second console)
    // may have moved the anchor past this one's last head since. Judged against a remembered anchor, records cut off
    // after that one would pass, and the new head written over the evidence.
    const anchored = await readAnchor();
    if (anchoredElsewhere(db, anchored)) return; // a copy: the anchor is the live log's
    if (anchored && hashAt.get(anchored.seq) !== anchored.hash) return; // the anchored record is gone: keep the evidence
    const now = (tail.get() as Head | undefined) ?? head; // the log may have grown during the read
    if (anchored && anchored.seq >= now.seq) return; // as far already (another process anchored it)
    await vault.set(ACCOUNT, JSON.stringify({ ...now, file } satisfies AnchoredHead));
    written = now;
  }

  return {
    sync() {
      // A step not started yet will anchor the newest head anyway: calls meanwhile share it. The service API calls
      // sync() after every call, thousands a second, and a keychain write per call would queue up faster than the
      // keychain answers (~5 ms a round trip on the development VM).
      if (waiting) return waiting;
      const next = queue
        .then(() => {
          waiting = null;
          return step();
        })
        .catch(() => undefined); // keychain unavailable: the log still works
      waiting = next;
      queue = next;
      return next;
    },
    read,
  };
}
