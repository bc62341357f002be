// Issue 21 #4: two consoles on one database file (the window and `deputy serve`, or two servers) both write, and
// no write is lost: each transaction takes the write lock when it begins, so the other waits its turn (busy
// timeout) instead of failing with "database is locked" when it upgrades a read to a write.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { demoCore, DEMO_PASSWORD } from './helpers';

const run = promisify(execFile);
const WRITER = join(__dirname, '..', 'support', 'writerProcess.ts');

describe('issue 21 #4: two processes writing one database', () => {
  it('both write for a while at once; every change lands, none fails', async () => {
    const core = await demoCore();
    await core.close(); // the two writers are the only ones on the file
    const writers = ['A', 'B'].map((tag) =>
      run(process.execPath, ['--import', 'tsx', WRITER, core.dbPath, DEMO_PASSWORD, tag, '3000'], {
        timeout: 60_000,
      }),
    );
    const results = (await Promise.all(writers)).map(
      (r) => JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { ok: number; failures: string[] },
    );
    for (const r of results) expect(r.failures).toEqual([]);
    expect(results.every((r) => r.ok > 20)).toBe(true);
  }, 90_000);
});
