// Issue 21 #6: a full disk is said as such — `storage: the disk is full` — to the caller, nothing of the change is
// kept, and once there is room again the same call goes through. SQLite's own limit on the file's size
// (`max_page_count`) makes the real SQLite hit SQLITE_FULL on a real file, as a full disk does.
import { describe, expect, it } from 'vitest';
import { demoCore } from './helpers';

const itemCount = (core: Awaited<ReturnType<typeof demoCore>>) =>
  core.app.db.prepare('SELECT count(*) FROM items').pluck().get() as number;

describe('issue 21 #6: disk full', () => {
  it('answers storage: the disk is full, keeps nothing, and works again once there is room', async () => {
    const core = await demoCore();
    const pages = core.app.db.pragma('page_count', { simple: true }) as number;
    core.app.db.pragma(`max_page_count = ${pages}`);
    const big = { flow: 'Purchase Request', title: 'Shelves', fields: { Vendor: 'v'.repeat(9_000) } };
    let refused: Awaited<ReturnType<typeof core.as<'items.create'>>> | undefined;
    // The file may have a few free pages left: fill them first.
    for (let i = 0; i < 200 && !refused; i++) {
      const r = await core.as('admin', 'items.create', big);
      if (!r.ok) refused = r;
    }
    const count = itemCount(core);
    const seq = core.lastSeq();
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'storage',
        message:
          'storage: the disk is full (SQLITE_FULL). Nothing of this change was saved. Free some space and try again.',
      },
    });
    // Neither the item nor a record of the failure: the Exception Log would need the room that is missing.
    expect(await core.as('admin', 'items.create', big)).toMatchObject({ ok: false, error: { code: 'storage' } });
    expect(itemCount(core)).toBe(count);
    expect(core.lastSeq()).toBe(seq);

    core.app.db.pragma('max_page_count = 1073741823');
    expect(await core.as('admin', 'items.create', big)).toMatchObject({ ok: true });
    expect(itemCount(core)).toBe(count + 1);
    expect(await core.must('admin', 'audit.verify', {})).toMatchObject({ ok: true });
  });
});
