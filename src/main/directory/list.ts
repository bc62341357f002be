// The directory listing: filtered, keyset-paginated by username (never by skipping rows), each row with
// what the caller may do to it, so the window offers only what main would accept.
import { DeputyError } from '../kernel/errors';
import { pagePrincipals } from '../store/principals';
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
  // One row past the page tells whether there is a next one.
  const { rows, total } = pagePrincipals(app.db, q, q.cursor ? decodeCursor(q.cursor) : null, q.limit + 1);
  const more = rows.length > q.limit;
  const shown = rows.slice(0, q.limit);
  const last = shown.at(-1);
  const facts = directoryFacts(app);
  return {
    rows: shown,
    allowed: Object.fromEntries(shown.map((p) => [p.username, allowedActions(facts, caller, p)])),
    total,
    next: more && last ? encodeCursor(last.username, last.id) : null,
  };
}
