// verify in ranges (src/main/audit/verify.ts): however the log is split, and whether a range runs in a worker or
// on this thread, the merged walk finds the break a single walk finds, with the same counts; and the SQL
// canonical form it hashes is byte for byte canonical().
import Database from 'better-sqlite3';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CHAINED_COLUMNS, canonical, chainHasher, type ChainedFields } from '../../src/main/audit/chain';
import { chainKeyIds, readChainKey } from '../../src/main/audit/keys';
import { splitRanges, verifyRanges } from '../../src/main/audit/verify';
import type { KeyBytes } from '../../src/main/audit/verifyRange';
import { demoCore, type TestCore } from './helpers';

const RECORDS = 60;

async function logOf(n = RECORDS): Promise<TestCore> {
  const core = await demoCore();
  core.app.db.transaction(() => {
    for (let i = core.auditCount(); i < n; i++) {
      core.app.audit.append({ operator: 'alice', action: 'x.test', message: `record "${i}" \\ ü ${'\u0001'}` });
    }
  })();
  await core.app.anchor.sync();
  return core;
}

async function keysOf(core: TestCore): Promise<KeyBytes> {
  return Promise.all(
    chainKeyIds(core.app.db).map(async (id): Promise<KeyBytes[number]> => [id, await readChainKey(core.app.vault, id)]),
  );
}

/** The walk for every split of the log into 1 to 6 ranges (with workers where they can run, if `threads`). */
async function walks(core: TestCore, threadings = [false, true]) {
  const { min, max } = core.app.db.prepare(`SELECT min(seq) AS min, max(seq) AS max FROM audit_log`).get() as {
    min: number;
    max: number;
  };
  const keys = await keysOf(core);
  const out = [];
  for (let parts = 1; parts <= 6; parts++) {
    for (const threads of threadings) {
      out.push({ parts, threads, walk: await verifyRanges(core.app.db, splitRanges(min, max, parts), keys, threads) });
    }
  }
  return out;
}

function dropGuards(core: TestCore) {
  core.app.db.exec(`DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;`);
}

// Seqs at and around the cuts of the splits into 2–6 ranges of 1..60, and the ends.
const AT = [1, 2, 10, 11, 12, 20, 21, 30, 31, 40, 41, 59, 60];

const TAMPER: Record<string, (core: TestCore, seq: number) => void> = {
  changed: (core, seq) => core.app.db.prepare(`UPDATE audit_log SET message = 'nothing' WHERE seq = ?`).run(seq),
  deleted: (core, seq) => core.app.db.prepare(`DELETE FROM audit_log WHERE seq = ?`).run(seq),
  renumbered: (core, seq) => {
    core.app.db.prepare(`DELETE FROM audit_log WHERE seq = ?`).run(seq);
    core.app.db.prepare(`UPDATE audit_log SET seq = seq - 1 WHERE seq > ?`).run(seq);
  },
  reordered: (core, seq) => {
    const other = seq === RECORDS ? seq - 1 : seq + 1;
    core.app.db.prepare(`UPDATE audit_log SET seq = -1 WHERE seq = ?`).run(seq);
    core.app.db.prepare(`UPDATE audit_log SET seq = ? WHERE seq = ?`).run(seq, other);
    core.app.db.prepare(`UPDATE audit_log SET seq = ? WHERE seq = -1`).run(other);
  },
  missing_key: (core, seq) =>
    core.app.db.prepare(`UPDATE audit_log SET key_id = 'ffffffffffffffff' WHERE seq >= ?`).run(seq),
  moved_below_one: (core, seq) => core.app.db.prepare(`UPDATE audit_log SET seq = -seq WHERE seq = ?`).run(seq),
};

describe('verify in ranges', () => {
  it('an untouched log: every split gives the whole chain', async () => {
    const core = await logOf();
    for (const { walk } of await walks(core)) {
      expect(walk).toMatchObject({ count: RECORDS, unkeyed: 0, break: null, prev: { seq: RECORDS } });
    }
  });

  for (const [kind, tamper] of Object.entries(TAMPER)) {
    it(`${kind}: every split finds the break a single walk finds, at and around range boundaries`, async () => {
      const core = await logOf();
      dropGuards(core);
      for (const seq of AT) {
        // Tampered inside a transaction rolled back after: one log serves every seq (this thread only).
        core.app.db.exec('BEGIN');
        try {
          tamper(core, seq);
          const [single, ...rest] = await walks(core, [false]);
          // Cutting the last record off breaks no link: that is the anchor's to find (verifyAudit).
          if (seq < RECORDS) expect(single!.walk.break, `${kind} at ${seq}`).not.toBeNull();
          for (const { parts, walk } of rest) expect(walk, `${kind} at ${seq}, ${parts} ranges`).toEqual(single!.walk);
        } finally {
          core.app.db.exec('ROLLBACK');
        }
      }
    });
  }

  it('ranges checked in worker threads merge the same way', async () => {
    for (const [kind, seq] of [
      ['changed', 31],
      ['deleted', 31],
      ['reordered', 30],
      ['missing_key', 45],
    ] as const) {
      const core = await logOf();
      dropGuards(core);
      TAMPER[kind]!(core, seq);
      const [single, ...rest] = await walks(core, [true]);
      expect(single!.walk.break).not.toBeNull();
      for (const { parts, walk } of rest.slice(0, 2)) expect(walk, `${kind} at ${seq}, ${parts}`).toEqual(single!.walk);
      await core.close();
    }
    // Four logs, each walked whole and in worker threads that load the TypeScript sources: ~13 s on an idle 2-core
    // machine, past the default 20 s when other work shares the cores.
  }, 90_000);

  it('the break kinds come out as a single walk reports them', async () => {
    const core = await logOf();
    dropGuards(core);
    TAMPER.reordered!(core, 31);
    const [single] = await walks(core);
    expect(single!.walk).toMatchObject({ count: 30, break: { seq: 31, kind: 'reordered' } });
    const report = await core.must('admin', 'audit.verify', {});
    expect(report).toMatchObject({
      ok: false,
      count: 30,
      break: { seq: 31, kind: 'reordered', message: 'Record 31 is out of place: records were reordered.' },
    });
  });

  it('splits cover every seq once, with the first range open below', () => {
    expect(splitRanges(1, 10, 3)).toEqual([
      { after: null, upTo: 3 },
      { after: 3, upTo: 6 },
      { after: 6, upTo: 10 },
    ]);
    expect(splitRanges(5, 6, 4)).toEqual([
      { after: null, upTo: 5 },
      { after: 5, upTo: 6 },
    ]);
    expect(splitRanges(1, 1, 2)).toEqual([{ after: null, upTo: 1 }]);
  });
});

describe('R-L2: the hash format', () => {
  it("SQLite's json_array of the chained columns is canonical(), for every code point", () => {
    const db = new Database(':memory:');
    const q = db.prepare(`SELECT json_array(${CHAINED_COLUMNS.map(() => '?').join(', ')})`).pluck();
    const cps: number[] = [];
    for (let c = 0; c <= 0x10ffff; c++) if (c < 0xd800 || c > 0xdfff) cps.push(c);
    for (let i = 0; i < cps.length; i += 1000) {
      const text = String.fromCodePoint(...cps.slice(i, i + 1000));
      const r = Object.fromEntries(CHAINED_COLUMNS.map((c, j) => [c, j % 4 === 3 ? null : `${j}${text}"\\`]));
      const fields = r as unknown as ChainedFields;
      expect(q.get(...CHAINED_COLUMNS.map((c) => fields[c]))).toBe(canonical(fields));
    }
    for (const s of ['', '{"a":1}', '[1]', 'null', '1', "it's", '\u2028\u2029']) {
      const fields = Object.fromEntries(CHAINED_COLUMNS.map((c) => [c, s])) as unknown as ChainedFields;
      expect(q.get(...CHAINED_COLUMNS.map((c) => fields[c]))).toBe(canonical(fields));
    }
    db.close();
  });

  it('the chain hash is HMAC-SHA256 (or SHA-256) of prev_hash, a newline and canonical(), as it always was', () => {
    const key = randomBytes(32);
    const r: ChainedFields = {
      ts: '2026-01-01T00:00:00.000Z',
      log: 'main',
      operator: 'a',
      effective_user: null,
      impersonator: null,
      username: 'a',
      action: 'x',
      target: null,
      outcome: 'ok',
      message: 'm "ü"',
      details: '{"k":1}',
      key_id: 'abcd',
    };
    const prev = 'f'.repeat(64);
    const text = canonical(r);
    expect(text).toBe(
      '["2026-01-01T00:00:00.000Z","main","a",null,null,"a","x",null,"ok","m \\"ü\\"","{\\"k\\":1}","abcd"]',
    );
    expect(chainHasher(key)(prev, text)).toBe(
      createHmac('sha256', key).update(prev).update('\n').update(text).digest('hex'),
    );
    expect(chainHasher(null)(prev, text)).toBe(
      createHash('sha256').update(prev).update('\n').update(text).digest('hex'),
    );
  });

  it('the hasher’s own HMAC is createHmac’s, for any key up to a block and any text, long or not ASCII', () => {
    const texts = [
      '',
      'plain',
      'ü "quoted" ☃ 𝄞 \u0000',
      'x'.repeat(5_000), // longer than the hasher's first buffer
      '🙂'.repeat(3_000), // 4 UTF-8 bytes per pair: the growth must make room for every byte
      'short again', // after growing, a short text must not hash leftovers
    ];
    for (const size of [1, 16, 32, 63, 64]) {
      const key = randomBytes(size);
      const hasher = chainHasher(key);
      for (const text of texts) {
        const prev = randomBytes(32).toString('hex');
        expect(hasher(prev, text), `${size}-byte key, ${text.length} units`).toBe(
          createHmac('sha256', key).update(`${prev}\n${text}`).digest('hex'),
        );
      }
    }
    expect(() => chainHasher(randomBytes(65))).toThrow('chain keys are at most 64 bytes, not 65');
  });
});

describe('the writer and rollbacks', () => {
  it('a rolled-back savepoint inside a transaction does not move the chain', async () => {
    const core = await logOf(20);
    const { db, audit } = core.app;
    db.transaction(() => {
      audit.append({ operator: 'alice', action: 'x.kept', message: 'before' });
      try {
        db.transaction(() => {
          audit.append({ operator: 'alice', action: 'x.undone', message: 'undone' });
          throw new Error('abort');
        })();
      } catch {
        // expected
      }
      audit.append({ operator: 'alice', action: 'x.kept', message: 'after' });
    })();
    expect(db.prepare(`SELECT count(*) FROM audit_log WHERE action = 'x.undone'`).pluck().get()).toBe(0);
    expect(await core.must('admin', 'audit.verify', {})).toMatchObject({ ok: true, count: 22 });
  });

  it('records appended by another connection are chained onto', async () => {
    const core = await logOf(20);
    const other = new Database(core.dbPath);
    const last = other.prepare(`SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1`).get() as ChainedFields & {
      seq: number;
      hash: string;
    };
    const key = await readChainKey(core.app.vault, last.key_id);
    const next = { ...last, message: 'from elsewhere' };
    other
      .prepare(
        `INSERT INTO audit_log (seq, ${CHAINED_COLUMNS.join(', ')}, prev_hash, hash)
         VALUES (?, ${CHAINED_COLUMNS.map(() => '?').join(', ')}, ?, ?)`,
      )
      .run(
        last.seq + 1,
        ...CHAINED_COLUMNS.map((c) => next[c]),
        last.hash,
        chainHasher(key)(last.hash, canonical(next)),
      );
    other.close();
    core.app.audit.append({ operator: 'alice', action: 'x.after', message: 'after' });
    expect(await core.must('admin', 'audit.verify', {})).toMatchObject({ ok: true, count: 22 });
  });
});
