// The auditor's view of the log: filtered, newest first, keyset-paginated by seq (never by skipping rows).
import { createWhere } from '../store/where';
import { sessionSpan } from '../store/impersonationSessions';
import type { AuditRow } from './chain';
import type { Db } from '../kernel/ports';
import type { AuditPage, AuditRecord } from '../../shared/model';
import type { ParsedInput } from '../../shared/contract';

/**
 * Records per block of the audit filter indexes, as a power of two. Migrations 080 and 100 wrote `seq >> 12` into
 * the index definitions, and SQLite uses an expression index only for the very same expression: changing this needs
 * a migration that rebuilds those indexes.
 */
export const AUDIT_BLOCK_BITS = 12;

type Row = AuditRow & { log: AuditRecord['log']; outcome: AuditRecord['outcome'] };

/**
 * Each word as a quoted FTS5 phrase: people type words, not FTS syntax; all words must appear. Control characters
 * separate words as spaces do (a NUL would end SQLite's reading of the query).
 */
export const ftsQuery = (text: string) =>
  text
    .split(/[\s\p{Cc}]+/u)
    .filter(Boolean)
    .map((w) => `"${w.replace(/"/g, '""')}"`)
    .join(' ');

type Filter = Omit<ParsedInput<'audit.list'>, 'before' | 'limit'>;

/**
 * The action filter is a prefix (`impersonation` finds impersonation.start and .end; a whole name finds that action):
 * the range [prefix, prefix + U+10FFFF), the greatest character, which an index seeks like an equality.
 */
const actionRange = (prefix: string): [string, string] => [prefix, `${prefix}\u{10FFFF}`];

/** The filter's conditions on the log's own columns; the full-text filter (q.text) is each caller's to join. */
function filterWhere(db: Db, q: Filter) {
  const where = createWhere();
  const add = where.add;
  if (q.log) add('log = ?', q.log);
  if (q.operator) add('operator = ?', q.operator);
  if (q.effectiveUser) add('effective_user = ?', q.effectiveUser);
  if (q.impersonator) add('impersonator = ?', q.impersonator);
  if (q.action) add('action >= ? AND action < ?', ...actionRange(q.action));
  if (q.target) add('target = ?', q.target);
  if (q.outcome) add('outcome = ?', q.outcome);
  // Stored times are toISOString() (milliseconds, Z); normalise so they compare as strings.
  if (q.from) add('ts >= ?', new Date(q.from).toISOString());
  if (q.to) add('ts < ?', new Date(q.to).toISOString());
  if (q.session) {
    const s = sessionSpan(db, q.session);
    // Its records carry the impersonator (R-S8); its end record is written as the impersonator alone (R-S7).
    add(
      `((impersonator = ? AND effective_user = ? AND ts >= ? AND ts <= ?)
        OR (action = 'impersonation.end' AND json_extract(details, '$.session') = ?))`,
      s?.operator ?? '',
      s?.target ?? '',
      s?.startedAt ?? '',
      s?.endedAt ?? '9999',
      q.session,
    );
  }
  return where;
}

/**
 * How a filter on a block-indexed column finds its records inside one block: one index seek per branch (migrations
 * 080 and 100), each branch a condition on the filter's value (`params`). The branches of a column are disjoint.
 */
interface Seek {
  index: string;
  where: string;
  params?: (value: string) => string[];
}
const SEEKS = {
  operator: [{ index: 'audit_log_operator', where: 'operator = ?' }],
  // A range within each block: its matches come in (action, seq) order, so the walk sorts each block's few
  // thousand at most ("TEMP B-TREE FOR RIGHT PART OF ORDER BY") and still stops at the first block that fills a page.
  action: [{ index: 'audit_log_action', where: 'action >= ? AND action < ?', params: actionRange }],
  log: [{ index: 'audit_log_log', where: 'log = ?' }],
  // Records done as their own operator are found through the operator's index (the filter then checks
  // effective_user); only the records done as somebody else are in audit_log_acted_as.
  effective_user: [
    { index: 'audit_log_operator', where: 'operator = ?' },
    { index: 'audit_log_acted_as', where: 'effective_user IS NOT operator AND effective_user = ?' },
  ],
} as const satisfies Record<string, readonly Seek[]>;

const seekParams = (seek: Seek, value: string) => (seek.params ? seek.params(value) : [value]);

type BlockColumn = keyof typeof SEEKS;
type BlockFilter = [BlockColumn, string];

/** The filter's values on block-indexed columns, if any. Full-text and session filters have their own indexes. */
function blockFilters(q: Filter): [BlockFilter, ...BlockFilter[]] | null {
  if (q.text || q.session) return null;
  const values: [BlockColumn, string | undefined][] = [
    ['operator', q.operator],
    ['effective_user', q.effectiveUser],
    ['action', q.action],
    ['log', q.log],
  ];
  const given = values.filter((v): v is BlockFilter => v[1] !== undefined && v[1] !== '');
  return given.length ? (given as [BlockFilter, ...BlockFilter[]]) : null;
}

const inBlock = `(seq >> ${AUDIT_BLOCK_BITS}) = ?`;

/**
 * The block filter to walk by: with several, the one whose value is rarest in the newest block (a count on its
 * indexes alone), so that two filters that rarely meet look at the few records of the rarer one, not all of the other's.
 */
function drivingFilter(db: Db, filters: [BlockFilter, ...BlockFilter[]], block: number): BlockFilter {
  if (filters.length === 1) return filters[0];
  const counted = filters.map((filter) => ({
    filter,
    count: (SEEKS[filter[0]] as readonly Seek[]).reduce(
      (sum, seek) =>
        sum +
        (db
          .prepare(`SELECT count(*) FROM audit_log INDEXED BY ${seek.index} WHERE ${inBlock} AND ${seek.where}`)
          .pluck()
          .get(block, ...seekParams(seek, filter[1])) as number),
      0,
    ),
  }));
  return counted.reduce((a, b) => (b.count < a.count ? b : a)).filter;
}

/**
 * Blocks per statement of the walk, newest first. A filter whose page the newest block fills stops inside the first
 * statement (SQLite takes the IN list in order and stops at the LIMIT); a sparse one costs one statement per this
 * many blocks rather than one per block: ~16 µs a statement, 4 ms of the 245 blocks of 1,000,000 records (test/bench).
 */
const BLOCKS_PER_STATEMENT = 64;

/**
 * The newest `limit` rows matching the filter, below `before`. A filter on a block-indexed column walks the blocks
 * newest first (migration 080), BLOCKS_PER_STATEMENT at a time, until the page is full; other filters are one
 * statement.
 */
function newestRows(db: Db, q: ParsedInput<'audit.list'>, limit: number): Row[] {
  const where = filterWhere(db, q);
  if (q.text) {
    // Newest first straight from the full-text index: FTS5 walks its doclists backwards and stops at the LIMIT, so a
    // first page does not read all of a common word's matches (288,000 at 1,000,000 records: 30 → 0.4 ms, test/bench).
    if (q.before) where.add('audit_fts.rowid < ?', q.before);
    return db
      .prepare(
        `SELECT audit_log.* FROM audit_fts JOIN audit_log ON audit_log.seq = audit_fts.rowid
         WHERE ${['audit_fts MATCH ?', ...where.clauses].join(' AND ')} ORDER BY audit_fts.rowid DESC LIMIT ?`,
      )
      .all(ftsQuery(q.text), ...where.params, limit) as Row[];
  }
  const filters = blockFilters(q);
  if (!filters) {
    if (q.before) where.add('seq < ?', q.before);
    return db
      .prepare(`SELECT * FROM audit_log ${where.sql()} ORDER BY seq DESC LIMIT ?`)
      .all(...where.params, limit) as Row[];
  }
  const top = q.before ? q.before - 1 : (db.prepare(`SELECT max(seq) FROM audit_log`).pluck().get() as number | null);
  if (!top || top < 1) return [];
  const [column, value] = drivingFilter(db, filters, top >> AUDIT_BLOCK_BITS);
  const seeks: readonly Seek[] = SEEKS[column];
  const inBlocks = `(seq >> ${AUDIT_BLOCK_BITS}) IN (${Array(BLOCKS_PER_STATEMENT).fill('?').join(', ')})`;
  // INDEXED BY: the walk is only fast on these indexes, and SQLite says so with an error if it cannot use one.
  // Ordered by block, then seq (the same order as by seq), so that the index delivers it: no sort, and several
  // branches merge (UNION ALL).
  const walk = db.prepare(
    seeks
      .map(
        (seek) =>
          `SELECT seq >> ${AUDIT_BLOCK_BITS} AS block, * FROM audit_log INDEXED BY ${seek.index} ` +
          `WHERE ${[seek.where, inBlocks, 'seq <= ?', ...where.clauses].join(' AND ')}`,
      )
      .join(' UNION ALL ') + ' ORDER BY block DESC, seq DESC LIMIT ?',
  );
  const rows: Row[] = [];
  for (let newest = top >> AUDIT_BLOCK_BITS; newest >= 0 && rows.length < limit; newest -= BLOCKS_PER_STATEMENT) {
    const blocks = Array.from({ length: BLOCKS_PER_STATEMENT }, (_, i) => newest - i); // below 0: no such block
    const params = seeks.flatMap((seek) => [...seekParams(seek, value), ...blocks, top, ...where.params]);
    rows.push(...(walk.all(...params, limit - rows.length) as Row[]));
  }
  return rows;
}

export function queryAudit(db: Db, q: ParsedInput<'audit.list'>): AuditPage {
  const rows = newestRows(db, q, q.limit + 1);
  const page = rows.slice(0, q.limit).map((r): AuditRecord => ({
    seq: r.seq,
    ts: r.ts,
    log: r.log,
    operator: r.operator,
    effectiveUser: r.effective_user,
    impersonator: r.impersonator,
    username: r.username,
    action: r.action,
    target: r.target,
    outcome: r.outcome,
    message: r.message,
    details: JSON.parse(r.details) as Record<string, unknown>,
    keyId: r.key_id,
    prevHash: r.prev_hash,
    hash: r.hash,
  }));
  return { rows: page, next: rows.length > q.limit ? (page.at(-1)?.seq ?? null) : null };
}

/** Records per UTC day for the filter, oldest first: the small chart over the auditor's table. */
export function countsPerDay(db: Db, q: Filter): { day: string; count: number }[] {
  const where = filterWhere(db, q);
  if (q.text) where.add(`seq IN (SELECT rowid FROM audit_fts WHERE audit_fts MATCH ?)`, ftsQuery(q.text));
  return db
    .prepare(
      `SELECT substr(ts, 1, 10) AS day, count(*) AS count FROM audit_log ${where.sql()} GROUP BY day ORDER BY day`,
    )
    .all(...where.params) as { day: string; count: number }[];
}

/** One record's log, outcome and details: what restoring from the Record Deletion Log starts from. */
export function deletionRecord(
  db: Db,
  seq: number,
): { log: AuditRecord['log']; outcome: AuditRecord['outcome']; details: string } | undefined {
  return db.prepare(`SELECT log, outcome, details FROM audit_log WHERE seq = ?`).get(seq) as
    { log: AuditRecord['log']; outcome: AuditRecord['outcome']; details: string } | undefined;
}

/** The seq of a successful restore (one of `actions`) of record `seq`, if there was one: nothing comes back twice. */
export function restoredBy(db: Db, actions: readonly string[], seq: number): number | undefined {
  return db
    .prepare(
      `SELECT seq FROM audit_log WHERE action IN (${actions.map(() => '?').join(', ')})
       AND outcome = 'ok' AND json_extract(details, '$.fromRecord') = ? LIMIT 1`,
    )
    .pluck()
    .get(...actions, seq) as number | undefined;
}
