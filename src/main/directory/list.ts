// The directory listing: filtered, keyset-paginated by username (never by skipping rows), each row with
// what the caller may do to it, so the window offers only what main would accept.
import { DeputyError } from '../kernel/errors';
import { ROLES_SQL, toPrincipal } from '../store/principals';
import { createWhere, escapeLike } from '../store/where';
import { allowedActions, directoryFacts } from './allowed';
import type { AppContext } from '../kernel/context';
import type { Caller } from '../kernel/caller';
import type { ParsedInput } from '../../shared/contract';
import type { DirectoryPage } from '../../shared/model';

type Query = ParsedInput<'directory.list'>;

function decodeCursor(cursor: string): [string, number] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && typeof value[0] === 'string' && Number.isInteger(value[1])) {
      return [value[0], value[1] as number];
    }
  } catch {
    // fall through to the refusal below
  }
  throw new DeputyError('invalid_input', 'This page cursor is not valid; start again from the first page.', 'cursor');
}

const encodeCursor = (username: string, id: number) =>
  Buffer.from(JSON.stringify([username, id])).toString('base64url');

export function listDirectory(app: AppContext, caller: Caller, q: Query): DirectoryPage {
  const { db } = app;
  const where = createWhere();
  const add = where.add;
  if (q.kind) add('p.kind = ?', q.kind);
  if (q.status) add('p.status = ?', q.status);
  if (q.role) add('EXISTS (SELECT 1 FROM principal_roles r WHERE r.principal_id = p.id AND r.role = ?)', q.role);
  if (q.emptyDisplayName) add(`trim(p.display_name) = ''`);
  if (q.search) {
    const like = `%${escapeLike(q.search)}%`;
    add(`(p.username LIKE ? ESCAPE '\\' OR p.display_name LIKE ? ESCAPE '\\')`, like, like);
  }
  // The total counts every match; the page then starts after the cursor.
  const total = (
    db.prepare(`SELECT count(*) AS n FROM principals p ${where.sql()}`).get(...where.params) as { n: number }
  ).n;
  if (q.cursor) {
    const [username, id] = decodeCursor(q.cursor);
    add('(p.username > ? OR (p.username = ? AND p.id > ?))', username, username, id);
  }
  const rows = db
    .prepare(
      `SELECT p.id, p.username, p.display_name, p.kind, p.status, ${ROLES_SQL} AS roles
       FROM principals p ${where.sql()} ORDER BY p.username, p.id LIMIT ?`,
    )
    .all(...where.params, q.limit + 1) as Parameters<typeof toPrincipal>[0][];

  const more = rows.length > q.limit;
  const shown = rows.slice(0, q.limit).map(toPrincipal);
  const last = shown.at(-1);
  const facts = directoryFacts(app);
  return {
    rows: shown,
    allowed: Object.fromEntries(shown.map((p) => [p.username, allowedActions(facts, caller, p)])),
    total,
    next: more && last ? encodeCursor(last.username, last.id) : null,
  };
}
