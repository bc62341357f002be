// Crash safety (issue 21, the fault suite): a console in a child process makes audited changes — some while
// impersonating — and is killed with SIGKILL at random points. After each kill the file is opened again, as the next
// start would: `PRAGMA integrity_check` is ok, the audit chain verifies as `deputy audit verify` checks it (keyed
// records, the keychain's anchor), no session of the dead process is left open, and every change the child saw
// acknowledged is there with its History record naming who made it.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/main/core';
import { keytarVault } from '../../src/main/vault/keytarVault';
import { verifyAudit } from '../../src/main/audit/verify';
import { DEMO_PASSWORD, demoCore } from '../unit/helpers';

const KILLS = Number(process.env.FAULT_KILLS ?? 50);
/** One kill in this many lands anywhere from the spawn on: in start-up, crash recovery or sign-in. */
const EARLY_EVERY = 5;
const WORKER = fileURLToPath(new URL('./support/crashWorker.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Step {
  op: 'create' | 'update' | 'start' | 'end';
  id?: number;
  title?: string;
  operator?: string;
  effectiveUser?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const between = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo + 1));

/** Runs the worker, kills it, and returns what it printed: each line's tag and step. */
async function runAndKill(dbPath: string, run: number): Promise<{ tries: Step[]; acks: Step[]; ready: boolean }> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, dbPath, DEMO_PASSWORD, String(run)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const early = run % EARLY_EVERY === 0;
  try {
    if (early) {
      await Promise.race([sleep(between(0, 2_500)), exited]);
    } else {
      const ready = new Promise<void>((resolve) => {
        const look = () => out.includes('ready\n') && resolve();
        child.stdout.on('data', look);
      });
      const started = await Promise.race([ready.then(() => true), exited.then(() => false), sleep(30_000)]);
      if (!started) throw new Error(`run ${run}: the worker did not start:\n${err.slice(-2000)}`);
      await Promise.race([sleep(between(50, 400)), exited]);
    }
    if (child.exitCode !== null)
      throw new Error(`run ${run}: the worker exited (${child.exitCode}):\n${err.slice(-2000)}`);
  } finally {
    child.kill('SIGKILL');
    await exited; // reaped: its pid is gone, as crash recovery will check
  }
  const tries: Step[] = [];
  const acks: Step[] = [];
  for (const line of out.split('\n')) {
    const [tag, json] = [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)];
    if (tag === 'try') tries.push(JSON.parse(json) as Step);
    // A line cut off by the kill is not an acknowledgement: the caller never saw it whole.
    if (tag === 'ack' && line.endsWith('}')) acks.push(JSON.parse(json) as Step);
  }
  return { tries, acks, ready: out.includes('ready\n') };
}

interface HistoryRow {
  action: string;
  operator: string | null;
  effective_user: string | null;
  impersonator: string | null;
  details: string;
}

const totals = { kills: 0, acknowledged: 0, duringImpersonation: 0, sessions: 0 };
afterAll(() => {
  console.log(
    `kills survived: ${totals.kills}, acknowledged changes checked: ${totals.acknowledged} ` +
      `(${totals.duringImpersonation} of them inside an impersonation session; ` +
      `${totals.sessions} impersonation sessions, each with one start and one end record)`,
  );
});

describe('crash safety: SIGKILL at random points, then the next start finds everything acknowledged', () => {
  let dbPath: string;
  beforeAll(async () => {
    // The real keychain (scripts/with-keyring): the worker chains records with the key this core put there.
    const core = await demoCore(keytarVault, 'file');
    dbPath = core.dbPath;
    await core.close();
  }, 120_000);

  it(
    `survives ${KILLS} kills with nothing acknowledged lost`,
    async () => {
      for (let run = 1; run <= KILLS; run++) {
        const { tries, acks } = await runAndKill(dbPath, run);

        const raw = new Database(dbPath);
        try {
          expect(raw.pragma('integrity_check', { simple: true }), `run ${run}: integrity_check`).toBe('ok');
          expect(raw.pragma('foreign_key_check'), `run ${run}: foreign_key_check`).toEqual([]);
        } finally {
          raw.close();
        }

        const core = await createCore({ dbPath, vault: keytarVault }); // the next start, with its crash recovery
        try {
          const db = core.app.db;
          const report = await verifyAudit(db, core.app.vault, core.app.anchor);
          expect(report, `run ${run}: audit verify`).toMatchObject({ ok: true, unkeyed: 0 });
          const open = db.prepare(`SELECT count(*) FROM impersonation_sessions WHERE ended_at IS NULL`).pluck().get();
          expect(open, `run ${run}: a session of the killed process left open`).toBe(0);

          // R-S10: every session, the killed process's included, has one start and, once recovered, one end.
          const records = db
            .prepare(
              `SELECT s.id, (SELECT count(*) FROM audit_log a WHERE a.action = 'impersonation.start'
                               AND json_extract(a.details, '$.session') = s.id) AS starts,
                            (SELECT count(*) FROM audit_log a WHERE a.action = 'impersonation.end'
                               AND json_extract(a.details, '$.session') = s.id) AS ends
               FROM impersonation_sessions s`,
            )
            .all() as { id: number; starts: number; ends: number }[];
          for (const r of records)
            expect(r, `run ${run}: session ${r.id}'s records`).toMatchObject({ starts: 1, ends: 1 });
          totals.sessions = records.length;

          const history = db.prepare(
            `SELECT action, operator, effective_user, impersonator, details FROM audit_log
             WHERE log = 'history' AND target = ? ORDER BY seq`,
          );
          const titleOf = db.prepare(`SELECT title FROM items WHERE id = ?`).pluck();
          for (const ack of acks) {
            if (ack.op === 'start' || ack.op === 'end') {
              // Covered for every session below: one start and one end record each.
              totals.acknowledged += 1;
              continue;
            }
            const rows = history.all(`item:${ack.id}`) as HistoryRow[];
            const record = rows.find(
              (r) =>
                r.action === `item.${ack.op}` &&
                (JSON.parse(r.details) as { changes: { field: string; new: unknown }[] }).changes.some(
                  (c) => c.field === 'title' && c.new === ack.title,
                ),
            );
            expect(record, `run ${run}: the History record of ${JSON.stringify(ack)}`).toMatchObject({
              operator: ack.operator,
              effective_user: ack.effectiveUser,
              impersonator: ack.operator === ack.effectiveUser ? null : ack.operator,
            });
            // The item holds this title, or one a later call (acknowledged or cut off by the kill) gave it.
            const later = tries.slice(tries.findIndex((t) => t.title === ack.title)); // titles are unique
            const allowed = new Set([ack.title, ...later.filter((t) => t.id === ack.id).map((t) => t.title)]);
            const title = titleOf.get(ack.id) as string | undefined;
            expect(title !== undefined && allowed.has(title), `run ${run}: item ${ack.id} is "${title}"`).toBe(true);
            totals.acknowledged += 1;
            if (ack.operator !== ack.effectiveUser) totals.duringImpersonation += 1;
          }
        } finally {
          await core.close();
        }
        totals.kills += 1;
      }
    },
    9 * 60_000,
  );
});
