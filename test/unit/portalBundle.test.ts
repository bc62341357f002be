// Design objects and portals in the policy bundle (issue 20, item 4), and moving them between environments (R-A4):
// the import shows the drift for the service accounts a portal needs and refuses to go on until each difference is
// gone or accepted, one by one, each acceptance recorded.
import { describe, expect, it } from 'vitest';
import { demoCore, tempCore } from './helpers';
import { demoBundle } from '../../src/main/setup/firstRun';
import { bundleProblems, type Bundle } from '../../src/shared/bundle';
import type { PermissionEntry } from '../../src/shared/portals';

const PASSWORD = 'a-long-enough-password';

/** A second environment: another database with only its Super Admin. */
async function secondEnvironment() {
  const core = await tempCore();
  await core.must('w', 'setup.createFirstAdmin', { username: 'root', displayName: 'Rita Root', password: PASSWORD });
  return core;
}

const acceptances = (core: Awaited<ReturnType<typeof tempCore>>) =>
  core.app.db
    .prepare(`SELECT target, message FROM audit_log WHERE action = 'policy.import.acceptDrift' ORDER BY seq`)
    .all() as { target: string; message: string }[];

const deletions = (core: Awaited<ReturnType<typeof tempCore>>) =>
  core.app.db
    .prepare(`SELECT seq, action, message, details FROM audit_log WHERE log = 'record_deletion' ORDER BY seq`)
    .all() as { seq: number; action: string; message: string; details: string }[];

/** This organisation's bundle, with the permission list of the demo portal's folder Supplier uploads edited. */
async function withUploads(
  core: Awaited<ReturnType<typeof demoCore>>,
  edit: (entries: PermissionEntry[]) => PermissionEntry[],
): Promise<Bundle> {
  const bundle = await core.must('admin', 'policy.export', {});
  return {
    ...bundle,
    designObjects: bundle.designObjects!.map((o) =>
      o.name === 'Supplier uploads' ? { ...o, permissions: edit(o.permissions) } : o,
    ),
  };
}

describe('design objects and portals in the bundle', () => {
  it('are exported as the demo was loaded, and an export imports back unchanged (round trip)', async () => {
    const core = await demoCore();
    const exported = await core.must('admin', 'policy.export', {});
    expect(exported.designObjects).toEqual(demoBundle.designObjects);
    expect(exported.portals).toEqual(demoBundle.portals);
    expect(JSON.stringify(exported)).not.toMatch(/apiKey|secret/i);
    const again = await core.must('admin', 'policy.import', { bundle: exported, dryRun: true });
    expect(again).toMatchObject({ changes: [], drift: [] });
  });

  it('moved to a second database, arrive whole and export as they left', async () => {
    const core = await secondEnvironment();
    await core.must('w', 'policy.import', { bundle: demoBundle, dryRun: false, accept: ['missing:supplier-portal'] });
    const exported = await core.must('w', 'policy.export', {});
    expect(exported.designObjects).toEqual(demoBundle.designObjects);
    expect(exported.portals).toEqual(demoBundle.portals);
    const report = await core.must('w', 'portals.get', { name: 'Supplier Portal' });
    expect(report.findings.map((f) => f.verdict).sort()).toEqual(['exact', 'missing', 'more_than_needed']);
  });

  it('R-A4: a bundle naming people, groups and the account in another case matches them, kept as the directory spells them', async () => {
    const shout = (b: Bundle): Bundle => ({
      ...b,
      designObjects: b.designObjects!.map((o) => ({
        ...o,
        permissions: o.permissions.map((e) =>
          e.grantee.type === 'default' ? e : { ...e, grantee: { ...e.grantee, name: e.grantee.name.toUpperCase() } },
        ),
      })),
      portals: b.portals!.map((p) => ({ ...p, serviceAccount: p.serviceAccount.toUpperCase() })),
    });
    const named = demoBundle.designObjects!.flatMap((o) => o.permissions).filter((e) => e.grantee.type !== 'default');
    expect(named.length).toBeGreaterThan(0);
    // Here: nothing to change, and no drift for the account.
    const demo = await demoCore();
    expect(await demo.must('admin', 'policy.import', { bundle: shout(demoBundle), dryRun: true })).toMatchObject({
      changes: [],
      drift: [],
    });
    // There: the portal's account, its entries and the groups' entries are the directory's, so the report is whole.
    const core = await secondEnvironment();
    await core.must('w', 'policy.import', {
      bundle: shout(demoBundle),
      dryRun: false,
      accept: ['missing:supplier-portal'],
    });
    const exported = await core.must('w', 'policy.export', {});
    expect(exported.designObjects).toEqual(demoBundle.designObjects);
    expect(exported.portals).toEqual(demoBundle.portals);
    const report = await core.must('w', 'portals.get', { name: 'Supplier Portal' });
    expect(report.warnings.map((w) => w.kind)).not.toContain('account_not_service');
    expect(report.findings.map((f) => f.verdict).sort()).toEqual(['exact', 'missing', 'more_than_needed']);
  });

  it('a permission list naming a user or group in another case keeps the directory’s spelling', async () => {
    const core = await demoCore();
    const account = demoBundle.portals![0]!.serviceAccount;
    await core.must('admin', 'designObjects.create', {
      name: 'Case test',
      kind: 'record_type',
      permissions: [
        { grantee: { type: 'user', name: account.toUpperCase() }, level: 'viewer' },
        { grantee: { type: 'group', name: 'SERVICE ACCOUNT' }, level: 'viewer' },
      ],
    });
    const stored = (await core.must('admin', 'designObjects.list', {})).find((o) => o.name === 'Case test')!;
    expect(stored.permissions.map((e) => e.grantee)).toEqual([
      { type: 'user', name: account },
      { type: 'group', name: 'Service Account' },
    ]);
    // One grantee spelt two ways is one grantee.
    const twice = await core.as('admin', 'designObjects.setPermissions', {
      name: 'Case test',
      permissions: [
        { grantee: { type: 'user', name: account }, level: 'viewer' },
        { grantee: { type: 'user', name: account.toUpperCase() }, level: 'editor' },
      ],
    });
    expect(twice).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringContaining('twice') },
    });
  });

  it('a change to a permission list or a portal shows as a change before import', async () => {
    const core = await demoCore();
    const edited = await withUploads(core, (entries) => entries.map((e) => ({ ...e, level: 'editor' as const })));
    const plan = await core.must('admin', 'policy.import', { bundle: edited, dryRun: false });
    expect(plan.changes).toEqual([
      {
        subject: 'design object Supplier uploads',
        kind: 'change',
        details: [
          'permissions: group Finance Viewer, supplier-portal Viewer → group Finance Editor, supplier-portal Editor',
        ],
      },
    ]);
    const report = await core.must('admin', 'portals.get', { name: 'Supplier Portal' });
    expect(report.findings.find((f) => f.object === 'Supplier uploads')?.verdict).toBe('exact');
    // Levels changed, no entry gone: nothing for the Record Deletion Log.
    expect(deletions(core)).toEqual([]);
  });

  it('R-L1: an entry the import takes off a list goes to the Record Deletion Log, and comes back from it', async () => {
    const core = await demoCore();
    const edited = await withUploads(core, (entries) => entries.filter((e) => e.grantee.type !== 'group'));
    await core.must('admin', 'policy.import', { bundle: edited, dryRun: false });
    const [deletion] = deletions(core);
    expect(deletion).toMatchObject({
      action: 'policy.import',
      message: 'Import removed 1 grant: group Finance as Viewer on design object Supplier uploads',
    });
    expect(JSON.parse(deletion!.details)).toEqual({
      deleted: 'grants',
      snapshot: {
        grants: [
          {
            type: 'designObjectEntry',
            object: 'Supplier uploads',
            grantee: { type: 'group', name: 'Finance' },
            level: 'viewer',
          },
        ],
      },
    });
    await core.must('admin', 'audit.restore', { seq: deletion!.seq });
    const restored = (await core.must('admin', 'designObjects.list', {})).find((o) => o.name === 'Supplier uploads');
    expect(restored!.permissions).toContainEqual({ grantee: { type: 'group', name: 'Finance' }, level: 'viewer' });
  });
});

describe('R-A4: importing a portal into another environment shows the drift first', () => {
  it('a service account the portal needs, missing there, is shown, and the import refuses until it is accepted', async () => {
    const core = await secondEnvironment();
    const plan = await core.must('w', 'policy.import', { bundle: demoBundle, dryRun: true });
    expect(plan.drift).toEqual([
      {
        id: 'missing:supplier-portal',
        kind: 'missing_account',
        account: 'supplier-portal',
        portals: ['Supplier Portal'],
        message: expect.stringContaining(
          'portal Supplier Portal needs service account supplier-portal, which is not here',
        ),
      },
    ]);
    const refused = await core.as('w', 'policy.import', { bundle: demoBundle, dryRun: false });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('missing:supplier-portal') },
    });
    expect(core.app.db.prepare(`SELECT count(*) FROM principals`).pluck().get()).toBe(1);
    expect(acceptances(core)).toEqual([]);

    const applied = await core.must('w', 'policy.import', {
      bundle: demoBundle,
      dryRun: false,
      accept: ['missing:supplier-portal'],
    });
    expect(applied).toMatchObject({ applied: true, accepted: ['missing:supplier-portal'] });
    expect(acceptances(core)).toEqual([
      { target: 'service account supplier-portal', message: expect.stringContaining('supplier-portal') },
    ]);
  });

  it('an acceptance naming no difference of this import is refused', async () => {
    const core = await secondEnvironment();
    const r = await core.as('w', 'policy.import', { bundle: demoBundle, dryRun: true, accept: ['groups:nobody'] });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'accept' } });
  });

  it('a username that differs (a service account of the same display name) is shown as such', async () => {
    const core = await secondEnvironment();
    await core.must('w', 'serviceAccounts.create', { username: 'sp-portal', displayName: 'Supplier Portal' });
    const plan = await core.must('w', 'policy.import', { bundle: demoBundle, dryRun: true });
    expect(plan.drift).toEqual([
      expect.objectContaining({
        id: 'username:supplier-portal',
        kind: 'username_differs',
        message: expect.stringContaining('is sp-portal: the usernames differ'),
      }),
    ]);
    expect(await core.as('w', 'policy.import', { bundle: demoBundle, dryRun: false })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
  });

  it('a group membership of the account that differs is shown, and refuses the import until accepted', async () => {
    const core = await secondEnvironment();
    await core.must('w', 'policy.import', { bundle: demoBundle, dryRun: false, accept: ['missing:supplier-portal'] });
    await core.must('w', 'groups.create', { name: 'Vendors' });
    await core.must('w', 'groups.setMember', { group: 'Vendors', username: 'supplier-portal', member: true });
    const edited: Bundle = { ...demoBundle, users: demoBundle.users.map((u) => ({ ...u })) };
    edited.users.find((u) => u.username === 'jdoe')!.displayName = 'Jane Doe-Smith';
    const plan = await core.must('w', 'policy.import', { bundle: edited, dryRun: true });
    expect(plan.drift).toEqual([
      expect.objectContaining({
        id: 'groups:supplier-portal',
        kind: 'groups_differ',
        message: expect.stringContaining('is in groups Vendors here, and (none) in the bundle'),
      }),
    ]);
    expect(await core.as('w', 'policy.import', { bundle: edited, dryRun: false })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('groups:supplier-portal') },
    });
    const applied = await core.must('w', 'policy.import', {
      bundle: edited,
      dryRun: false,
      accept: ['groups:supplier-portal'],
    });
    expect(applied.applied).toBe(true);
    expect(acceptances(core).map((a) => a.message)).toEqual([
      expect.stringContaining('which is not here'),
      expect.stringContaining('is in groups Vendors here'),
    ]);
  });
});

describe('bundle schema: design objects and portals cross-checked, each problem by JSON path', () => {
  it('names every reference that does not resolve', () => {
    const bad = {
      ...demoBundle,
      designObjects: [
        ...demoBundle.designObjects!,
        {
          name: 'Contracts',
          kind: 'document_folder',
          permissions: [
            { grantee: { type: 'user', name: 'ghost' }, level: 'viewer' },
            { grantee: { type: 'group', name: 'Nobody' }, level: 'initiator' },
          ],
        },
        { name: 'Supplier', kind: 'web_api', permissions: [] },
      ],
      portals: [
        ...demoBundle.portals!,
        {
          name: 'Partner Portal',
          serviceAccount: 'jdoe',
          uses: [
            { useCase: 'query_records', objects: ['Contracts'] },
            { useCase: 'upload_documents', objects: ['Nowhere'] },
            { useCase: 'teleport', objects: ['Supplier'] },
          ],
        },
      ],
    };
    const { bundle, problems } = bundleProblems(bad);
    expect(bundle).toBeNull();
    expect(problems).toEqual(
      expect.arrayContaining([{ path: '$.portals[1].uses[2].useCase', message: expect.any(String) }]),
    );
    // Without the unknown use case, the cross-checks speak.
    bad.portals[1]!.uses.pop();
    const { problems: crossed } = bundleProblems(bad);
    expect(crossed).toEqual([
      {
        path: '$.designObjects[3].permissions[0].grantee.name',
        message: 'ghost is not in users[] or serviceAccounts[]',
      },
      { path: '$.designObjects[3].permissions[1].grantee.name', message: 'group Nobody is not in groups[]' },
      {
        path: '$.designObjects[3].permissions[1].level',
        message: 'a document folder has no Initiator level; Initiator is for process models only',
      },
      { path: '$.designObjects[4].name', message: 'design object Supplier is defined twice' },
      { path: '$.portals[1].serviceAccount', message: 'jdoe is not in serviceAccounts[] (R-A1)' },
      {
        path: '$.portals[1].uses[0].objects[0]',
        message: 'Contracts is a document folder; query records uses record types',
      },
      { path: '$.portals[1].uses[1].objects[0]', message: 'Nowhere is not in designObjects[]' },
    ]);
  });

  it('refuses a portal whose objects are given without designObjects[]', () => {
    const { problems } = bundleProblems({ ...demoBundle, designObjects: undefined });
    expect(problems.map((p) => p.path)).toEqual([
      '$.portals[0].uses[0].objects[0]',
      '$.portals[0].uses[1].objects[0]',
      '$.portals[0].uses[2].objects[0]',
    ]);
  });
});

describe('the demo’s supplier portal shows every verdict on first launch (issue 20, item 5)', () => {
  it('missing Editor on the upload folder, one exact, one more than needed, and R-A3 on the record type', async () => {
    const core = await demoCore();
    const report = await core.must('admin', 'portals.get', { name: 'Supplier Portal' });
    expect(report.portal).toEqual(demoBundle.portals![0]);
    expect(report.findings.map((f) => [f.useCase, f.object, f.verdict, f.actual])).toEqual([
      ['query_records', 'Supplier', 'exact', 'viewer'],
      ['start_process', 'Supplier Onboarding', 'more_than_needed', 'administrator'],
      ['upload_documents', 'Supplier uploads', 'missing', 'viewer'],
    ]);
    expect(report.findings[0]!.held).toEqual([{ level: 'viewer', how: { via: 'default' } }]);
    expect(report.findings[2]!.required).toEqual({ min: 'editor', max: 'editor' });
    expect(report.blocked).toBe(true);
    expect(report.warnings).toEqual([
      expect.objectContaining({
        rule: 'R-A3',
        kind: 'default_viewer',
        message: expect.stringContaining('service accounts count as users'),
      }),
    ]);
    const listed = await core.must('admin', 'portals.list', {});
    expect(listed.map((r) => r.portal.name)).toEqual(['Supplier Portal']);
    const reach = await core.must('admin', 'portals.recordTypeAccess', { serviceAccount: 'supplier-portal' });
    expect(reach).toEqual([
      { object: 'Supplier', actual: 'viewer', held: [{ level: 'viewer', how: { via: 'default' } }] },
    ]);

    // Every fix applied, one at a time, leaves no finding: the demo's findings are all fixable.
    for (let i = 0; i < 5; i++) {
      const now = await core.must('admin', 'portals.get', { name: 'Supplier Portal' });
      const next = [...now.findings, ...now.warnings].find((f) => f.fix);
      if (!next) break;
      await core.must('admin', 'portals.fix', { portal: 'Supplier Portal', finding: next.id });
    }
    const fixed = await core.must('admin', 'portals.get', { name: 'Supplier Portal' });
    expect(fixed.findings.every((f) => f.verdict === 'exact')).toBe(true);
    expect(fixed).toMatchObject({ warnings: [], blocked: false });
  });
});

describe('bundle schema: a use case without an object of a kind it needs', () => {
  it('is named at its objects list', () => {
    const bundle = {
      ...demoBundle,
      portals: [{ ...demoBundle.portals![0]!, uses: [{ useCase: 'change_records', objects: ['Supplier'] }] }],
    };
    expect(bundleProblems(bundle).problems).toEqual([
      { path: '$.portals[0].uses[0].objects', message: 'add, update or delete records needs a process model' },
    ]);
  });
});
