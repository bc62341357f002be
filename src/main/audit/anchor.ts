// The chain's head (seq, hash) is anchored in the OS keychain after each commit batch, so cutting
// records off the end of the log (truncation) is detected too. The anchor only moves forward along
// the same chain: when the log no longer holds the anchored record, the anchor stays as evidence.
import type { CredentialVault } from '../kernel/vault';
import type { Db, Head, HeadAnchor } from '../kernel/ports';

const ACCOUNT = 'audit-head';

/** The newest record's (seq, hash), or null for an empty log. */
export const logHead = (db: Db): Head | null =>
  (db.prepare(`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).get() as Head | undefined) ?? null;

/**
 * Restore only (`deputy restore`, src/main/backups/restore.ts): anchors the head of the log just put back, although
 * the anchored record is not in it, since a restore goes back in time by design. The restore's record, the newest in
 * the restored log, names the head it replaced; nothing else ever moves the anchor back.
 */
export async function anchorRestoredHead(db: Db, vault: CredentialVault): Promise<Head | null> {
  const head = logHead(db);
  if (!head) return null;
  await vault.set(ACCOUNT, JSON.stringify(head));
  return head;
}

export function createHeadAnchor(db: Db, vault: CredentialVault): HeadAnchor {
  const tail = db.prepare(`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`);
  const hashAt = db.prepare(`SELECT hash FROM audit_log WHERE seq = ?`).pluck();
  let known: Head | null | undefined; // undefined: not read from the keychain yet
  let queue = Promise.resolve();
  /** The step queued and not started yet, which every sync() meanwhile shares. */
  let waiting: Promise<void> | null = null;

  async function read(): Promise<Head | null> {
    try {
      const text = await vault.get(ACCOUNT);
      return text ? (JSON.parse(text) as Head) : null;
    } catch {
      return null;
    }
  }

  async function step(): Promise<void> {
    const head = tail.get() as Head | undefined;
    if (!head || (known && known.seq === head.seq && known.hash === head.hash)) return;
    if (known === undefined) known = await read();
    if (known && hashAt.get(known.seq) !== known.hash) return; // the anchored record is gone: keep the evidence
    await vault.set(ACCOUNT, JSON.stringify(head));
    known = head;
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
