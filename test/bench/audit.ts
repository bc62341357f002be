// The audit log at scale (npm run bench runs it after the policy bench): append rate through the real writer, first
// pages of a filtered and of full-text queries, verify, JSONL export and memory, on an SQLite file holding
// DEPUTY_BENCH_RECORDS records (1,000,000 by default), each compared with Debian's sqlite3 CLI where it has an
// equivalent. See README.md beside this file.
import { spawnSync } from 'node:child_process';
import { closeSync, createReadStream, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { cpus } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { createCore, type Core } from '../../src/main/core';
import { exportAudit } from '../../src/main/audit/export';
import { verifyExport } from '../../src/main/audit/verifyExport';
import { queryAudit } from '../../src/main/audit/query';
import { verifyAudit } from '../../src/main/audit/verify';
import { memoryVault } from '../../src/main/vault/memoryVault';
import type { AuditEntry, Db } from '../../src/main/kernel/ports';
import { auditMix } from './auditGen';
import { fmt, log, runInTempDir } from './report';
import { statementsRun } from '../support/sqlSpy';

const FULL = 1_000_000;
const RECORDS = Number(process.env.DEPUTY_BENCH_RECORDS ?? FULL);
const BATCH = 1_000;
/** A second, smaller append with bigger batches: how much of a record's cost is its share of the commit. */
const BIG_BATCH = 10_000;
const BIG_BATCH_RECORDS = Math.min(RECORDS, 300_000);
const GOAL = { appendRate: 50_000, filteredMs: 20, ftsMs: 50, verifySecondsPer1M: 3, rssMb: 200 };
const MB = 1024 * 1024;

if (!Number.isInteger(RECORDS) || RECORDS < 10_000) {
  process.stderr.write(
    `DEPUTY_BENCH_RECORDS must be a whole number ≥ 10000, not ${process.env.DEPUTY_BENCH_RECORDS}\n`,
  );
  process.exit(2);
}

const now = () => performance.now() / 1000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

let peakRss = 0;
const sampleRss = () => void (peakRss = Math.max(peakRss, process.memoryUsage().rss));
/** The process's peak resident set so far (getrusage: every moment counts, sampled or not), in MB. */
const maxRssMb = () => (process.resourceUsage().maxRSS * 1024) / MB;
/** maxRSS after each step: which step raised the peak. */
const steps: [string, number][] = [];

// ---------------------------------------------------------------------------------------------------------------
// The sqlite3 CLI, run on scripts written to files; its times are wall-clock times of the whole process.

const cliVersion = (() => {
  const r = spawnSync('sqlite3', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split(' ')[0]! : null;
})();

/** Runs `sqlite3 -bail db < script` and returns its wall-clock seconds. */
function cli(db: string, script: string): number {
  const fd = openSync(script, 'r');
  try {
    const t = now();
    const r = spawnSync('sqlite3', ['-bail', db], { stdio: [fd, 'ignore', 'pipe'], encoding: 'utf8' });
    const seconds = now() - t;
    if (r.status !== 0) throw new Error(`sqlite3 ${db} < ${script} failed: ${r.stderr || r.error?.message}`);
    return seconds;
  } finally {
    closeSync(fd);
  }
}

/** Process startup and teardown on this database: the median of 5 runs of a script that does nothing. */
function cliBaseline(dir: string, db: string): number {
  const script = join(dir, 'empty.sql');
  writeFileSync(script, '.output /dev/null\n');
  return median(Array.from({ length: 5 }, () => cli(db, script)));
}

const sqlValue = (v: unknown) =>
  v === null || v === undefined ? 'NULL' : typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`;

/**
 * The statements queryAudit runs for q, parameters inlined, one per line: the CLI runs the very same ones (a filter on
 * a block-indexed column is one statement per 64 index blocks it had to look in).
 */
function capturedSql(db: Db, q: Parameters<typeof queryAudit>[1]): string {
  return statementsRun(db, (spy) => queryAudit(spy, q))
    .map(({ sql, params }) => {
      let i = 0;
      return sql.replace(/\?/g, () => sqlValue(params[i++])).replace(/\s+/g, ' ');
    })
    .join(';\n');
}

/**
 * The CLI's time for one warm run of `sql`: (T(warm-up + k runs) − T(warm-up)) / k, each process time the median of
 * 5 runs, results printed to /dev/null. `.timer on` reports milliseconds only, too coarse for a first page.
 */
function cliQueryMs(dir: string, db: string, sql: string, k: number): number {
  const once = join(dir, 'query-once.sql');
  const many = join(dir, 'query-many.sql');
  writeFileSync(once, `.output /dev/null\n${sql};\n`);
  writeFileSync(many, `.output /dev/null\n${sql};\n${`${sql};\n`.repeat(k)}`);
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < 5; r++) {
    a.push(cli(db, once));
    b.push(cli(db, many));
  }
  return (Math.max(0, median(b) - median(a)) / k) * 1000;
}

/** Buffered writes of a large generated file. */
function fileWriter(path: string) {
  const fd = openSync(path, 'w');
  let parts: string[] = [];
  let size = 0;
  const flush = () => {
    writeSync(fd, parts.join(''));
    parts = [];
    size = 0;
  };
  return {
    write(s: string) {
      parts.push(s);
      if ((size += s.length) > MB) flush();
    },
    close() {
      flush();
      closeSync(fd);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------

interface Row {
  name: string;
  unit: string;
  ours: number;
  cli: number | null;
  digits: number;
  goal: string;
  met: boolean | null;
}

/** Appends `records` records of the bench mix, `batch` per transaction; returns the seconds spent inside them. */
function appendThroughWriter(core: Core, records: number, batch: number): number {
  const mix = auditMix();
  const appendBatch = core.app.db.transaction((entries: AuditEntry[]) => core.app.audit.appendAll(entries));
  let seconds = 0;
  for (let done = 0; done < records;) {
    const n = Math.min(batch, records - done);
    const entries = Array.from({ length: n }, () => mix.next());
    const t0 = now();
    appendBatch(entries);
    seconds += now() - t0;
    done += n;
    sampleRss();
  }
  return seconds;
}

async function main(dir: string): Promise<boolean> {
  let ok = true;
  const dbPath = join(dir, 'deputy.db');
  // One record every 31.5 s over a year (a year of the log, whatever its size); every clock() call moves it.
  const step = (365 * 86_400_000) / RECORDS;
  let ticks = 0;
  const clock = () => new Date(Date.UTC(2025, 0, 1) + Math.round(ticks++ * step));
  const core = await createCore({ dbPath, vault: memoryVault, clock });
  const { db } = core.app;
  const sqliteVersion = db.prepare('SELECT sqlite_version()').pluck().get() as string;
  log(
    `Deputy audit-log bench — node ${process.version}, SQLite ${sqliteVersion} (better-sqlite3), ` +
      `sqlite3 CLI ${cliVersion ?? 'NOT FOUND'}, ${cpus()[0]?.model ?? 'unknown CPU'} ×${cpus().length}`,
  );
  log(
    `database file ${dbPath}: journal_mode=${db.pragma('journal_mode', { simple: true })}, ` +
      `synchronous=${['OFF', 'NORMAL', 'FULL', 'EXTRA'][db.pragma('synchronous', { simple: true }) as number]}; ` +
      `${fmt(RECORDS)} records` +
      (RECORDS === FULL ? '' : ` (DEPUTY_BENCH_RECORDS; the goals are for ${fmt(FULL)})`),
  );
  if (!cliVersion) {
    log(
      'sqlite3 CLI NOT FOUND on PATH (Debian package sqlite3, installed by scripts/setup.mjs for tests): ' +
        'the CLI comparisons are skipped.',
    );
  }
  sampleRss();
  const startRss = maxRssMb();

  // 1. Append through the real writer, BATCH records per transaction; each commit is durable (WAL, FULL).
  let t = now();
  const appendSeconds = appendThroughWriter(core, RECORDS, BATCH);
  const appendWall = now() - t;
  await core.app.anchor.sync();
  const count = db.prepare('SELECT count(*) FROM audit_log').pluck().get() as number;
  if (count !== RECORDS) {
    log(`audit_log holds ${fmt(count)} records, not ${fmt(RECORDS)}`);
    ok = false;
  }
  const dbBytes = statSync(dbPath).size;
  const appendRate = RECORDS / appendSeconds;
  const cliBase = cliVersion ? cliBaseline(dir, dbPath) : 0;
  steps.push(['append', maxRssMb()]);

  // 2–3. First pages (newest 100) through queryAudit: a warm-up call, then repeated runs; the median is reported.
  const byActivity = db
    .prepare(`SELECT operator, count(*) AS n FROM audit_log WHERE operator IS NOT NULL GROUP BY 1 ORDER BY 2 DESC`)
    .all() as { operator: string; n: number }[];
  const operator = byActivity[Math.min(49, byActivity.length - 1)]!; // the 50th most active of ~200
  const hits = (word: string) =>
    db.prepare(`SELECT count(*) FROM audit_fts WHERE audit_fts MATCH ?`).pluck().get(`"${word}"`) as number;
  const { words } = auditMix(); // the same vocabulary as the records' (seeded)
  const mid = words[40]!;
  const common = words[0]!;
  // Two filters that rarely meet: SQLite walks one index and checks the other filter on every record it finds.
  const rareAction = 'accessKey.delete';
  const both = db
    .prepare(`SELECT count(*) FROM audit_log WHERE operator = ? AND action = ?`)
    .pluck()
    .get(operator.operator, rareAction) as number;
  // The user most often acted as by somebody else: found through two indexes (the operator's and audit_log_acted_as).
  const actedAs = db
    .prepare(
      `SELECT effective_user AS user, count(*) AS n FROM audit_log WHERE effective_user IN
         (SELECT effective_user FROM audit_log WHERE effective_user IS NOT operator GROUP BY 1 ORDER BY count(*) DESC
          LIMIT 1)`,
    )
    .get() as { user: string; n: number };
  const queries: { name: string; q: Parameters<typeof queryAudit>[1]; matches: number; goal: number }[] = [
    {
      name: `operator = ${operator.operator} (${fmt(operator.n)} records)`,
      q: { operator: operator.operator, limit: 100 },
      matches: operator.n,
      goal: GOAL.filteredMs,
    },
    {
      name: `effective user = ${actedAs.user} (${fmt(actedAs.n)} records)`,
      q: { effectiveUser: actedAs.user, limit: 100 },
      matches: actedAs.n,
      goal: GOAL.filteredMs,
    },
    {
      name: `operator = ${operator.operator}, action = ${rareAction} (${fmt(both)} records)`,
      q: { operator: operator.operator, action: rareAction, limit: 100 },
      matches: both,
      goal: GOAL.filteredMs,
    },
    {
      name: `text "${mid}" (FTS, ${fmt(hits(mid))} records)`,
      q: { text: mid, limit: 100 },
      matches: hits(mid),
      goal: GOAL.ftsMs,
    },
    {
      name: `text "${common}" (FTS, ${fmt(hits(common))} records)`,
      q: { text: common, limit: 100 },
      matches: hits(common),
      goal: GOAL.ftsMs,
    },
  ];
  const queryRows: Row[] = [];
  const queryNotes: string[] = [];
  for (const { name, q, matches, goal } of queries) {
    t = now();
    const page = queryAudit(db, q);
    const firstMs = (now() - t) * 1000;
    if (page.rows.length !== Math.min(100, matches)) {
      log(`${name}: ${page.rows.length} rows on the first page`);
      ok = false;
    }
    const runs = firstMs < 10 ? 200 : firstMs < 100 ? 30 : 10;
    const times: number[] = [];
    for (let r = 0; r < runs; r++) {
      t = now();
      queryAudit(db, q);
      times.push((now() - t) * 1000);
    }
    sampleRss();
    const ms = median(times);
    const sql = capturedSql(db, q);
    const cliMs = cliVersion ? cliQueryMs(dir, dbPath, sql, Math.min(500, Math.max(10, Math.round(300 / ms)))) : null;
    queryRows.push({
      name: `first page, ${name}, ms`,
      unit: 'ms',
      ours: ms,
      cli: cliMs,
      digits: 2,
      goal: `< ${goal}`,
      met: ms < goal,
    });
    const [first, ...more] = sql.split(';\n');
    const shown = more.length ? `${first};  (+ ${more.length} more: the walk through the index blocks)` : first;
    queryNotes.push(`  ${shown}  — first call ${fmt(firstMs, 2)} ms, median of ${runs} after it`);
  }

  steps.push(['queries', maxRssMb()]);

  // 4. Verify every record (HMAC chain) and the anchored head, watching how long this thread (in the app: the main
  // process, which answers the window) stops answering meanwhile.
  const stalls = monitorEventLoopDelay({ resolution: 10 });
  stalls.enable();
  t = now();
  const report = await verifyAudit(db, core.app.vault, core.app.anchor);
  const verifySeconds = now() - t;
  stalls.disable();
  const longestStallMs = stalls.max / 1e6;
  sampleRss();
  if (!report.ok || report.count !== RECORDS || report.unkeyed !== 0) {
    log(`verify: ${JSON.stringify(report)}`);
    ok = false;
  }
  const verifyPer1M = (verifySeconds * FULL) / RECORDS;
  steps.push(['verify', maxRssMb()]);

  // 5. Export everything as JSONL the way `deputy audit export` does (a writeSync per chunk into the file), then check
  // the file against its manifest as `deputy audit verify-export` does (streamed, every record's hash recomputed).
  const exportFile = join(dir, 'export.jsonl');
  const fd = openSync(exportFile, 'w');
  t = now();
  const manifest = await exportAudit(core.app, 'jsonl', {}, (chunk) => {
    writeSync(fd, chunk);
    sampleRss();
  });
  closeSync(fd);
  const exportSeconds = now() - t;
  const exportBytes = statSync(exportFile).size;
  if (manifest.count !== RECORDS) {
    log(`export: ${fmt(manifest.count)} records, not ${fmt(RECORDS)}`);
    ok = false;
  }
  t = now();
  const exportCheck = await verifyExport(core.app, createReadStream(exportFile), manifest);
  const verifyExportSeconds = now() - t;
  rmSync(exportFile);
  if (!exportCheck.ok) {
    log(`verify-export: ${exportCheck.lines.join('; ')}`);
    ok = false;
  }
  let cliExportSeconds: number | null = null;
  let cliExportBytes = 0;
  if (cliVersion) {
    const out = join(dir, 'cli-export.json');
    const script = join(dir, 'export.sql');
    writeFileSync(script, `.mode json\n.once ${out}\nSELECT * FROM audit_log ORDER BY seq;\n`);
    cliExportSeconds = cli(dbPath, script) - cliBase;
    cliExportBytes = statSync(out).size;
    rmSync(out);
  }

  sampleRss();
  steps.push(['export', maxRssMb()]);
  // Taken before the CLI's insert script is generated: the core's steps only.
  const maxRss = maxRssMb();
  const sampledRss = peakRss / MB;

  // The same rows, inserted by the CLI into an identical table (the same CREATE statements: table, indexes,
  // append-only triggers, FTS5 table) in a fresh file, BATCH INSERTs per BEGIN…COMMIT, each batch's messages put into
  // the FTS5 table before its COMMIT as the writer does.
  let cliAppendRate: number | null = null;
  let scriptBytes = 0;
  let scriptSeconds = 0;
  if (cliVersion) {
    const cliDb = join(dir, 'cli.db');
    const order = { table: 0, index: 1, trigger: 2 } as Record<string, number>;
    const schema = (
      db
        .prepare(`SELECT type, sql FROM sqlite_master WHERE tbl_name IN ('audit_log', 'audit_fts') AND sql IS NOT NULL`)
        .all() as { type: string; sql: string }[]
    ).sort((a, b) => order[a.type]! - order[b.type]!);
    const schemaScript = join(dir, 'schema.sql');
    writeFileSync(schemaScript, `PRAGMA journal_mode = WAL;\n${schema.map((s) => `${s.sql};`).join('\n')}\n`);
    cli(cliDb, schemaScript);
    t = now();
    const script = join(dir, 'inserts.sql');
    const out = fileWriter(script);
    out.write('PRAGMA synchronous = FULL;\n');
    const commit = (first: number) =>
      `INSERT INTO audit_fts (rowid, message) SELECT seq, message FROM audit_log WHERE seq >= ${first};\nCOMMIT;\n`;
    let i = 0;
    let first = 0;
    for (const r of db.prepare('SELECT * FROM audit_log ORDER BY seq').raw().iterate() as IterableIterator<unknown[]>) {
      if (i % BATCH === 0) {
        if (i) out.write(commit(first));
        out.write('BEGIN;\n');
        first = r[0] as number;
      }
      out.write(`INSERT INTO audit_log VALUES (${r.map(sqlValue).join(', ')});\n`);
      i++;
    }
    out.write(commit(first));
    out.close();
    scriptSeconds = now() - t;
    scriptBytes = statSync(script).size;
    const seconds = cli(cliDb, script) - cliBase;
    cliAppendRate = RECORDS / seconds;
    const cliCount = spawnSync('sqlite3', [cliDb, 'SELECT count(*) FROM audit_log'], { encoding: 'utf8' });
    if (Number(cliCount.stdout.trim()) !== RECORDS) {
      log(`the CLI's table holds ${cliCount.stdout.trim()} records, not ${fmt(RECORDS)}`);
      ok = false;
    }
    rmSync(script);
    for (const f of ['', '-wal', '-shm']) rmSync(`${cliDb}${f}`, { force: true });
  }

  await core.close();

  // How the append rate depends on the batch: the same mix into a fresh file, BIG_BATCH records per commit
  // (after the memory figure was taken: a second core in this process).
  const bigCore = await createCore({ dbPath: join(dir, 'big-batches.db'), vault: memoryVault, clock });
  const bigRate = BIG_BATCH_RECORDS / appendThroughWriter(bigCore, BIG_BATCH_RECORDS, BIG_BATCH);
  await bigCore.close();

  // ---------------------------------------------------------------------------------------------------------------
  const rows: Row[] = [
    {
      name: `append, real writer, ${fmt(BATCH)} per commit, records/s`,
      unit: 'records/s',
      ours: appendRate,
      cli: cliAppendRate,
      digits: 0,
      goal: `≥ ${fmt(GOAL.appendRate)}`,
      met: appendRate >= GOAL.appendRate,
    },
    {
      name: `append, real writer, ${fmt(BIG_BATCH)} per commit (${fmt(BIG_BATCH_RECORDS)} records), records/s`,
      unit: 'records/s',
      ours: bigRate,
      cli: null,
      digits: 0,
      goal: '',
      met: null,
    },
    ...queryRows,
    {
      name: `verify all ${fmt(RECORDS)} records, s`,
      unit: 's',
      ours: verifySeconds,
      cli: null,
      digits: 2,
      goal: `< ${GOAL.verifySecondsPer1M} per 1M`,
      met: verifyPer1M < GOAL.verifySecondsPer1M,
    },
    {
      name: `export JSONL, all records, s`,
      unit: 's',
      ours: exportSeconds,
      cli: cliExportSeconds,
      digits: 2,
      goal: '',
      met: null,
    },
    {
      name: `export JSONL, MB/s`,
      unit: 'MB/s',
      ours: exportBytes / MB / exportSeconds,
      cli: cliExportSeconds ? cliExportBytes / MB / cliExportSeconds : null,
      digits: 0,
      goal: '',
      met: null,
    },
    {
      name: `verify-export of that file, s`,
      unit: 's',
      ours: verifyExportSeconds,
      cli: null,
      digits: 2,
      goal: '',
      met: null,
    },
    {
      name: 'peak RSS of the process (maxRSS), MB',
      unit: 'MB',
      ours: maxRss,
      cli: null,
      digits: 0,
      goal: `< ${GOAL.rssMb}`,
      met: maxRss < GOAL.rssMb,
    },
  ];
  const cells = rows.map((r) => [
    r.name,
    fmt(r.ours, r.digits),
    r.cli === null ? '—' : fmt(r.cli, r.digits),
    r.cli === null ? '—' : `${fmt(r.ours / r.cli, 2)}x`,
    r.goal || '—',
    r.met === null ? '—' : r.met ? 'met' : 'NOT MET',
  ]);
  const head = ['measure', 'Deputy', 'sqlite3 CLI', 'ours/CLI', 'goal', 'status'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ');
  log('');
  log(line(head));
  log(line(widths.map((w) => '-'.repeat(w))));
  for (const c of cells) log(line(c));
  log('');
  log(
    `append: ${fmt(RECORDS)} records in ${fmt(RECORDS / BATCH)} transactions, ${fmt(appendSeconds, 1)} s inside ` +
      `them (${fmt(appendWall, 1)} s with generating the entries); database file ${fmt(dbBytes / MB)} MB. ` +
      `CLI: the same rows read back from it, ${fmt(scriptBytes / MB)} MB of INSERTs (written in ` +
      `${fmt(scriptSeconds, 1)} s, not counted), run by \`sqlite3 -bail\` in a fresh file with the same schema, ` +
      `synchronous=FULL; its time is the process's minus its startup (${fmt(cliBase * 1000, 1)} ms).`,
  );
  log('first pages: newest 100 (queryAudit asks for 101), the SQL the CLI runs is the one queryAudit sends:');
  for (const n of queryNotes) log(n);
  log(
    `  CLI: (time of a process running the query 1 + k times − time of one running it once) / k, each the median ` +
      `of 5 processes, output to /dev/null.`,
  );
  log(
    `verify: ${report.ok ? 'OK' : 'FAILED'}, ${fmt(report.count)} records` +
      (RECORDS === FULL ? '' : `; ${fmt(verifyPer1M, 2)} s per 1M records at this rate`) +
      `; the longest this thread's event loop stalled meanwhile: ${fmt(longestStallMs)} ms (the ranges run in ` +
      'worker threads). No CLI equivalent (it has no HMAC).',
  );
  log(
    `export: ${fmt(manifest.count)} records, ${fmt(exportBytes / MB)} MB of JSONL (SHA-256 and HMAC of the ` +
      `file computed on the way, as \`deputy audit export\`); CLI: \`.mode json\` of SELECT * … ORDER BY seq into ` +
      `a file, ${fmt(cliExportBytes / MB)} MB, process time minus startup. verify-export: the file read as a ` +
      `stream, its SHA-256 and HMAC and every record's hash recomputed (${exportCheck.lines.at(-1) ?? ''}).`,
  );
  log(
    `memory: maxRSS (getrusage, every moment of the process) ${fmt(maxRss)} MB, after each step: ` +
      `${steps.map(([name, mb]) => `${name} ${fmt(mb)}`).join(', ')}; peak of process.memoryUsage().rss sampled ` +
      `between batches ${fmt(sampledRss)} MB; ${fmt(startRss)} MB with the core open, before the first append ` +
      `(${import.meta.url.endsWith('.ts') ? "Node with tsx's loader, in the process and in the verify worker" : 'plain Node running the bundle'}). ` +
      `1 MB = 2^20 bytes.`,
  );
  return ok;
}

await runInTempDir('deputy-bench-audit-', main);
