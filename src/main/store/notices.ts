// The notices repository: what a person is told at their next sign-in, e.g. that someone impersonated them
// (notices).
import type { Db } from '../kernel/ports';
import type { Notice } from '../../shared/model';

export function insertNotice(db: Db, username: string, message: string, createdAt: string): void {
  db.prepare(`INSERT INTO notices (username, message, created_at) VALUES (?, ?, ?)`).run(username, message, createdAt);
}

export function unseenNotices(db: Db, username: string): Notice[] {
  return (
    db
      .prepare(`SELECT id, message, created_at FROM notices WHERE username = ? AND seen_at IS NULL ORDER BY id`)
      .all(username) as { id: number; message: string; created_at: string }[]
  ).map((n) => ({ id: n.id, message: n.message, createdAt: n.created_at }));
}

/** False when there is no such unseen notice for this person: nobody dismisses another's notices. */
export function markNoticeSeen(db: Db, id: number, username: string, seenAt: string): boolean {
  return (
    db
      .prepare(`UPDATE notices SET seen_at = ? WHERE id = ? AND username = ? AND seen_at IS NULL`)
      .run(seenAt, id, username).changes > 0
  );
}
