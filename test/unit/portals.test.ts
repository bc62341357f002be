// Portals and design objects through the contract (issue 20, items 1 and 2): R-A1 (one service account per portal),
// R-A2 (each use case's required levels: missing, exact, more than needed, with fixes), R-A3 (Default (All Other
// Users) on a record type), Deny, bad input refused with nothing written, History and the Record Deletion Log.
import { describe, expect, it } from 'vitest';
import type { Input, MethodName } from '../../src/shared/contract';
import {
  USE_CASES,
  USE_CASE_TABLE,
  type DesignObjectKind,
  type GrantLevel,
  type PermissionEntry,
  type PortalReport,
  type UseCase,
} from '../../src/shared/portals';
import { portalUseDecision } from '../../src/main/portals/decision';
import { problemsOf } from '../../src/main/cli/commands/portal';
import { tempCore, type TestCore } from './helpers';

const PASSWORD = 'long-enough-pw';

/** root (a Super Admin, a person); service accounts portal-bot and other-bot; group Portal Accounts holds other-bot. */
async function portalsCore(): Promise<TestCore> {
  const core = await tempCore();
  await core.must('w', 'setup.createFirstAdmin', { username: 'root', displayName: 'Rita Root', password: PASSWORD });
  await core.must('w', 'serviceAccounts.create', { username: 'portal-bot', displayName: 'Portal Bot' });
  await core.must('w', 'serviceAccounts.create', { username: 'other-bot', displayName: 'Other Bot' });
  await core.must('w', 'groups.create', { name: 'Portal Accounts' });
  await core.must('w', 'groups.setMember', { group: 'Portal Accounts', username: 'other-bot', member: true });
  return core;
}

const direct = (name: string, level: PermissionEntry['level']): PermissionEntry => ({
  grantee: { type: 'user', name },
  level,
});
const viaGroup = (name: string, level: PermissionEntry['level']): PermissionEntry => ({
  grantee: { type: 'group', name },
  level,
});
const byDefault = (level: PermissionEntry['level']): PermissionEntry => ({ grantee: { type: 'default' }, level });

const object = (core: TestCore, name: string, kind: DesignObjectKind, permissions: PermissionEntry[] = []) =>
  core.must('w', 'designObjects.create', { name, kind, permissions });

/** Calls a method that must be refused with `code`; checks one refused record and nothing else was written. */
async function refusedOnce<M extends MethodName>(core: TestCore, method: M, input: Input<M>, code: string) {
  const before = core.lastSeq();
  const r = await core.as('w', method, input);
  expect(r.ok, JSON.stringify(r)).toBe(false);
  if (r.ok) throw new Error('unreachable');
  expect(r.error.code).toBe(code);
  expect(core.auditSince(before)).toMatchObject([{ outcome: 'refused', action: method, operator: 'root' }]);
  return r.error;
}

const finding = (report: PortalReport, id: string) => report.findings.find((f) => f.id === id)!;

describe('R-A1: a portal has exactly one service account', () => {
  it('R-A1: refuses a person as the account, with a clear message, and writes nothing', async () => {
    const core = await portalsCore();
    await object(core, 'Supplier', 'record_type');
    const err = await refusedOnce(
      core,
      'portals.create',
      { name: 'Suppliers', serviceAccount: 'root', uses: [{ useCase: 'query_records', objects: ['Supplier'] }] },
      'invalid_input',
    );
    expect(err).toMatchObject({ field: 'serviceAccount' });
    expect(err.message).toContain('root is a person, not a service account');
    expect(err.message).toContain('Service Account');
    expect(await core.must('w', 'portals.list', {})).toEqual([]);
  });

  it('R-A1: refuses no account, two accounts and an unknown one', async () => {
    const core = await portalsCore();
    await object(core, 'Supplier', 'record_type');
    const uses = [{ useCase: 'query_records' as const, objects: ['Supplier'] }];
    const none = await core.as('w', 'portals.create', { name: 'Suppliers', uses } as Input<'portals.create'>);
    expect(none).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'serviceAccount' } });
    const two = await core.as('w', 'portals.create', {
      name: 'Suppliers',
      serviceAccount: ['portal-bot', 'other-bot'],
      uses,
    } as unknown as Input<'portals.create'>);
    expect(two).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'serviceAccount' } });
    const err = await refusedOnce(
      core,
      'portals.create',
      { name: 'Suppliers', serviceAccount: 'ghost-bot', uses },
      'not_found',
    );
    expect(err.message).toBe('There is no user named ghost-bot.');
    expect(await core.must('w', 'portals.list', {})).toEqual([]);
  });

  it('R-A1: one service account serving two portals is a least-privilege warning on each', async () => {
    const core = await portalsCore();
    await object(core, 'Supplier', 'record_type', [direct('portal-bot', 'viewer')]);
    const uses = [{ useCase: 'query_records' as const, objects: ['Supplier'] }];
    await core.must('w', 'portals.create', { name: 'Suppliers', serviceAccount: 'portal-bot', uses });
    await core.must('w', 'portals.create', { name: 'Partners', serviceAccount: 'portal-bot', uses });
    const [partners, suppliers] = await core.must('w', 'portals.list', {});
    expect(suppliers!.warnings).toMatchObject([{ rule: 'R-A1', kind: 'shared_account', fix: null }]);
    expect(suppliers!.warnings[0]!.message).toContain('also serves portal Partners');
    expect(partners!.warnings[0]!.message).toContain('also serves portal Suppliers');
    expect(suppliers!.blocked).toBe(false);
  });
});

/** Objects for each kind a use case needs, the account granted `level` (clamped to what the kind has) on each. */
async function portalFor(core: TestCore, useCase: UseCase, level: GrantLevel | null): Promise<PortalReport> {
  const objects: string[] = [];
  for (const need of USE_CASE_TABLE[useCase].needs) {
    const name = `${need.kind} object`;
    const usable = need.kind !== 'process_model' && level === 'initiator' ? 'viewer' : level;
    await object(core, name, need.kind, usable ? [direct('portal-bot', usable)] : []);
    objects.push(name);
  }
  return core.must('w', 'portals.create', {
    name: 'Portal',
    serviceAccount: 'portal-bot',
    uses: [{ useCase, objects }],
  });
}

/** A report's findings in the order of the use case's needs (reports list objects by name). */
const inNeedsOrder = (useCase: UseCase, report: PortalReport) =>
  USE_CASE_TABLE[useCase].needs.map((n) => report.findings.find((f) => f.kind === n.kind)!);

describe('R-A2: each use case needs its levels, no more', () => {
  it('has one row per use case, each naming what it needs', () => {
    expect(Object.keys(USE_CASE_TABLE).sort()).toEqual([...USE_CASES].sort());
  });

  const EXPECTED: Record<UseCase, string[]> = {
    query_records: ['record_type viewer..viewer'],
    change_records: ['record_type viewer..viewer', 'process_model initiator..initiator'],
    start_process: ['process_model initiator..viewer'],
    upload_documents: ['document_folder editor..editor'],
    display_documents: ['document_folder viewer..viewer'],
    external_database: ['data_store viewer..viewer'],
    cdt: ['web_api viewer..viewer', 'data_store viewer..viewer'],
    custom_integration: ['web_api viewer..viewer'],
  };

  it.each(USE_CASES)(
    'R-A2 %s: missing blocks, the least accepted level is exact, Administrator is more than needed and its fix lowers it',
    async (useCase) => {
      expect(USE_CASE_TABLE[useCase].needs.map((n) => `${n.kind} ${n.min}..${n.max}`)).toEqual(EXPECTED[useCase]);
      const core = await portalsCore();
      const missing = await portalFor(core, useCase, null);
      expect(missing.blocked).toBe(true);
      expect(missing.findings.map((f) => f.verdict)).toEqual(USE_CASE_TABLE[useCase].needs.map(() => 'missing'));
      expect(missing.findings[0]!.message).toContain('and has nothing');

      for (const need of USE_CASE_TABLE[useCase].needs) {
        const name = `${need.kind} object`;
        await core.must('w', 'designObjects.setPermissions', { name, permissions: [direct('portal-bot', need.min)] });
      }
      const exact = await core.must('w', 'portals.get', { name: 'Portal' });
      expect(exact.blocked).toBe(false);
      expect(inNeedsOrder(useCase, exact).map((f) => [f.verdict, f.actual, f.held])).toEqual(
        USE_CASE_TABLE[useCase].needs.map((n) => ['exact', n.min, [{ level: n.min, how: { via: 'direct' } }]]),
      );

      for (const need of USE_CASE_TABLE[useCase].needs) {
        const name = `${need.kind} object`;
        await core.must('w', 'designObjects.setPermissions', {
          name,
          permissions: [direct('portal-bot', 'administrator')],
        });
      }
      let report = await core.must('w', 'portals.get', { name: 'Portal' });
      expect(report.findings.map((f) => f.verdict)).toEqual(
        USE_CASE_TABLE[useCase].needs.map(() => 'more_than_needed'),
      );
      const before = core.lastSeq();
      for (const f of report.findings)
        report = await core.must('w', 'portals.fix', { portal: 'Portal', finding: f.id });
      expect(inNeedsOrder(useCase, report).map((f) => [f.verdict, f.actual])).toEqual(
        USE_CASE_TABLE[useCase].needs.map((n) => ['exact', n.max]),
      );
      // One History record per object the fix changed, old → new.
      const history = core.auditSince(before);
      expect(history).toHaveLength(USE_CASE_TABLE[useCase].needs.length);
      expect(history[0]).toMatchObject({ log: 'history', action: 'designObject.permissions', outcome: 'ok' });
      expect(history.map((h) => JSON.parse(h.details) as unknown)).toEqual(
        report.findings.map((f) => ({
          changes: [{ field: 'portal-bot', old: 'administrator', new: f.required.max }],
          fixFor: { portal: 'Portal', finding: f.id },
        })),
      );
    },
  );

  it('R-A2: start a process accepts Initiator or Viewer; Editor is lowered to Viewer', async () => {
    const core = await portalsCore();
    await portalFor(core, 'start_process', 'viewer');
    expect(
      finding(await core.must('w', 'portals.get', { name: 'Portal' }), 'start_process|process_model object'),
    ).toMatchObject({ verdict: 'exact', actual: 'viewer' });
    await core.must('w', 'designObjects.setPermissions', {
      name: 'process_model object',
      permissions: [direct('portal-bot', 'editor')],
    });
    const fixed = await core.must('w', 'portals.fix', {
      portal: 'Portal',
      finding: 'start_process|process_model object',
    });
    expect(finding(fixed, 'start_process|process_model object')).toMatchObject({ verdict: 'exact', actual: 'viewer' });
  });

  it('R-A2: a level one use case needs is not more than needed for another on the same object', async () => {
    const core = await portalsCore();
    await object(core, 'Uploads', 'document_folder', [direct('portal-bot', 'editor')]);
    const report = await core.must('w', 'portals.create', {
      name: 'Portal',
      serviceAccount: 'portal-bot',
      uses: [
        { useCase: 'upload_documents', objects: ['Uploads'] },
        { useCase: 'display_documents', objects: ['Uploads'] },
      ],
    });
    expect(report.findings.map((f) => [f.useCase, f.verdict])).toEqual([
      ['display_documents', 'exact'],
      ['upload_documents', 'exact'],
    ]);
  });

  it('R-A2: a missing level gets a direct entry at the least accepted level', async () => {
    const core = await portalsCore();
    await portalFor(core, 'upload_documents', 'viewer');
    const report = await core.must('w', 'portals.get', { name: 'Portal' });
    expect(report.findings[0]).toMatchObject({ verdict: 'missing', actual: 'viewer' });
    expect(report.findings[0]!.message).toContain('needs Editor on document folder document_folder object');
    const fixed = await core.must('w', 'portals.fix', { portal: 'Portal', finding: report.findings[0]!.id });
    expect(fixed.findings[0]).toMatchObject({ verdict: 'exact', actual: 'editor' });
    expect(fixed.blocked).toBe(false);
  });

  it('R-A2: how the account holds it — directly, through a group, through Default (All Other Users)', async () => {
    const core = await portalsCore();
    await object(core, 'Supplier', 'record_type', [viaGroup('Portal Accounts', 'viewer'), byDefault('viewer')]);
    const report = await core.must('w', 'portals.create', {
      name: 'Portal',
      serviceAccount: 'other-bot',
      uses: [{ useCase: 'query_records', objects: ['Supplier'] }],
    });
    expect(report.findings[0]!.held).toEqual([
      { level: 'viewer', how: { via: 'group', group: 'Portal Accounts' } },
      { level: 'viewer', how: { via: 'default' } },
    ]);
    expect(report.findings[0]!.message).toContain(
      'Viewer through group Portal Accounts, Viewer through Default (All Other Users)',
    );
    expect(await core.must('w', 'portals.recordTypeAccess', { serviceAccount: 'other-bot' })).toEqual([
      { object: 'Supplier', actual: 'viewer', held: report.findings[0]!.held },
    ]);
    // portal-bot is in no group: Default (All Other Users) alone reaches it.
    expect(await core.must('w', 'portals.recordTypeAccess', { serviceAccount: 'portal-bot' })).toEqual([
      { object: 'Supplier', actual: 'viewer', held: [{ level: 'viewer', how: { via: 'default' } }] },
    ]);
  });

  it('R-A2: lowering a group entry keeps what other portals’ accounts need, with direct entries', async () => {
    const core = await portalsCore();
    await core.must('w', 'groups.setMember', { group: 'Portal Accounts', username: 'portal-bot', member: true });
    await object(core, 'Docs', 'document_folder', [viaGroup('Portal Accounts', 'administrator')]);
    await core.must('w', 'portals.create', {
      name: 'Uploader',
      serviceAccount: 'other-bot',
      uses: [{ useCase: 'upload_documents', objects: ['Docs'] }],
    });
    const viewer = await core.must('w', 'portals.create', {
      name: 'Viewer',
      serviceAccount: 'portal-bot',
      uses: [{ useCase: 'display_documents', objects: ['Docs'] }],
    });
    const f = finding(viewer, 'display_documents|Docs');
    expect(f.verdict).toBe('more_than_needed');
    expect(f.fix!.changes).toEqual([
      { object: 'Docs', grantee: { type: 'group', name: 'Portal Accounts' }, from: 'administrator', to: 'viewer' },
      { object: 'Docs', grantee: { type: 'user', name: 'other-bot' }, from: null, to: 'editor' },
    ]);
    await core.must('w', 'portals.fix', { portal: 'Viewer', finding: f.id });
    const reports = await core.must('w', 'portals.list', {});
    expect(reports.map((r) => [r.portal.name, r.findings.map((x) => [x.verdict, x.actual])])).toEqual([
      ['Uploader', [['exact', 'editor']]],
      ['Viewer', [['exact', 'viewer']]],
    ]);
  });
});

describe('R-A2: grants beyond what the use cases need (least privilege)', () => {
  /** portal-bot's portal queries Supplier (Viewer, exactly what it needs); every other object is set by the test. */
  async function supplierPortal(core: TestCore, supplier: PermissionEntry[] = []): Promise<PortalReport> {
    await object(core, 'Supplier', 'record_type', [direct('portal-bot', 'viewer'), ...supplier]);
    return core.must('w', 'portals.create', {
      name: 'Portal',
      serviceAccount: 'portal-bot',
      uses: [{ useCase: 'query_records', objects: ['Supplier'] }],
    });
  }

  it('R-A2: the account’s own entries on objects no use case needs are listed, naming object, kind and level, a Fix each, without blocking', async () => {
    const core = await portalsCore();
    await object(core, 'Payroll', 'record_type', [direct('portal-bot', 'administrator')]);
    await object(core, 'Contracts', 'document_folder', [direct('portal-bot', 'editor')]);
    // Not portal-bot's: another account's entry; its own Deny; its entry where Default's Deny leaves it nothing.
    await object(core, 'Ledger', 'data_store', [direct('other-bot', 'viewer')]);
    await object(core, 'Vault', 'data_store', [direct('portal-bot', 'deny')]);
    await object(core, 'Archive', 'web_api', [direct('portal-bot', 'viewer'), byDefault('deny')]);
    const report = await supplierPortal(core);
    expect(report.findings.map((f) => [f.object, f.verdict])).toEqual([['Supplier', 'exact']]);
    expect(report.unneeded).toEqual([
      {
        id: 'unneeded|Contracts',
        object: 'Contracts',
        kind: 'document_folder',
        level: 'editor',
        message:
          'portal-bot has its own Editor entry on document folder Contracts, which no use case of its portals needs (least privilege).',
        fix: {
          label: 'Take portal-bot off Contracts',
          changes: [{ object: 'Contracts', grantee: { type: 'user', name: 'portal-bot' }, from: 'editor', to: null }],
        },
      },
      {
        id: 'unneeded|Payroll',
        object: 'Payroll',
        kind: 'record_type',
        level: 'administrator',
        message:
          'portal-bot has its own Administrator entry on record type Payroll, which no use case of its portals needs (least privilege).',
        fix: {
          label: 'Take portal-bot off Payroll',
          changes: [
            { object: 'Payroll', grantee: { type: 'user', name: 'portal-bot' }, from: 'administrator', to: null },
          ],
        },
      },
    ]);
    expect(report.warnings).toEqual([]);
    // Flagged, not errors: publishing goes ahead, and `deputy portal check` counts them.
    expect(report.blocked).toBe(false);
    expect(problemsOf(report)).toBe(2);
    await core.must('w', 'portals.publish', { name: 'Portal' });
  });

  it('R-A2: what a group (the Service Account system group) or Default gives beyond the needs is one warning per source, counted, five names, no Fix', async () => {
    const core = await portalsCore();
    const kinds: DesignObjectKind[] = ['record_type', 'process_model', 'document_folder', 'data_store', 'web_api'];
    for (let i = 1; i <= 7; i++)
      await object(core, `Shared ${i}`, kinds[i % kinds.length]!, [viaGroup('Service Account', 'viewer')]);
    // Not counted: a Deny of its own leaves portal-bot nothing there; a group it is not in; a Deny for everyone.
    await object(core, 'Shared 8', 'record_type', [
      viaGroup('Service Account', 'editor'),
      direct('portal-bot', 'deny'),
    ]);
    await object(core, 'Team Folder', 'document_folder', [viaGroup('Portal Accounts', 'editor')]);
    await object(core, 'Secrets', 'record_type', [byDefault('deny')]);
    await object(core, 'Onboarding', 'process_model', [byDefault('initiator')]);
    await object(core, 'Salaries', 'record_type', [byDefault('viewer')]);
    // Supplier, which the portal needs, is given by both too: not counted.
    const report = await supplierPortal(core, [viaGroup('Service Account', 'viewer'), byDefault('viewer')]);
    expect(report.unneeded).toEqual([]);
    expect(report.warnings.map(({ id, rule, kind, fix, reach }) => ({ id, rule, kind, fix, reach }))).toEqual([
      {
        id: 'R-A3|Supplier',
        rule: 'R-A3',
        kind: 'default_viewer',
        fix: expect.anything() as unknown,
        reach: undefined,
      },
      {
        id: 'reach|group:Service Account',
        rule: 'R-A2',
        kind: 'unneeded_reach',
        fix: null,
        reach: {
          source: { type: 'group', name: 'Service Account' },
          count: 7,
          examples: ['Shared 1', 'Shared 2', 'Shared 3', 'Shared 4', 'Shared 5'],
        },
      },
      {
        id: 'reach|default',
        rule: 'R-A2',
        kind: 'unneeded_reach',
        fix: null,
        reach: { source: { type: 'default' }, count: 2, examples: ['Onboarding', 'Salaries'] },
      },
    ]);
    expect(report.warnings.slice(1).map((w) => w.message)).toEqual([
      "Group Service Account gives portal-bot 7 objects none of portal-bot's portals needs (Shared 1, Shared 2, Shared 3, Shared 4, Shared 5, …): every member of the group reaches them, so taking them away is a decision about the group, not this portal (least privilege).",
      "Default (All Other Users) gives portal-bot 2 objects none of portal-bot's portals needs (Onboarding, Salaries): service accounts count as users (R-A3), so every user and service account reaches them; taking them away is a decision about everyone, not this portal (least privilege).",
    ]);
    expect(report.blocked).toBe(false);
    await core.must('w', 'portals.publish', { name: 'Portal' });
    // The organisation's report (read from every object) says the same as the portal's own (counted by SQLite).
    expect(await core.must('w', 'portals.list', {})).toEqual([report]);
  });

  it('R-A2: needed grants at the needed level are not flagged; above it they stay "more than needed", not unneeded', async () => {
    const core = await portalsCore();
    await object(core, 'Supplier', 'record_type', [direct('portal-bot', 'administrator')]);
    await object(core, 'Docs', 'document_folder', [viaGroup('Service Account', 'viewer')]);
    const report = await core.must('w', 'portals.create', {
      name: 'Portal',
      serviceAccount: 'portal-bot',
      uses: [
        { useCase: 'query_records', objects: ['Supplier'] },
        { useCase: 'display_documents', objects: ['Docs'] },
      ],
    });
    expect(report.findings.map((f) => [f.object, f.verdict])).toEqual([
      ['Docs', 'exact'],
      ['Supplier', 'more_than_needed'],
    ]);
    expect(report.unneeded).toEqual([]);
    expect(report.warnings).toEqual([]);
  });

  it('R-A2: an object another portal of the same account needs is not unneeded, nor counted (the shared-account warning says so)', async () => {
    const core = await portalsCore();
    await supplierPortal(core);
    await object(core, 'Docs', 'document_folder', [
      direct('portal-bot', 'viewer'),
      viaGroup('Service Account', 'viewer'),
    ]);
    await core.must('w', 'portals.create', {
      name: 'Docs Portal',
      serviceAccount: 'portal-bot',
      uses: [{ useCase: 'display_documents', objects: ['Docs'] }],
    });
    const report = await core.must('w', 'portals.get', { name: 'Portal' });
    expect(report.unneeded).toEqual([]);
    expect(report.warnings.map((w) => w.kind)).toEqual(['shared_account']);
  });

  it('R-A2: the fix takes only the account’s own entry off, in one History record; the group’s entry stays, counted in its warning', async () => {
    const core = await portalsCore();
    await core.must('w', 'groups.setMember', { group: 'Portal Accounts', username: 'portal-bot', member: true });
    await object(core, 'Docs', 'document_folder', [
      viaGroup('Portal Accounts', 'editor'),
      direct('portal-bot', 'viewer'),
    ]);
    await core.must('w', 'portals.create', {
      name: 'Uploader',
      serviceAccount: 'other-bot',
      uses: [{ useCase: 'upload_documents', objects: ['Docs'] }],
    });
    const report = await supplierPortal(core);
    expect(report.unneeded.map((u) => u.id)).toEqual(['unneeded|Docs']);
    expect(report.warnings.map((w) => [w.id, w.reach?.count])).toEqual([['reach|group:Portal Accounts', 1]]);
    const before = core.lastSeq();
    const fixed = await core.must('w', 'portals.fix', { portal: 'Portal', finding: 'unneeded|Docs' });
    expect(fixed.unneeded).toEqual([]);
    expect(fixed.warnings).toEqual(report.warnings);
    // One History record of the list, and the entry taken off in the Record Deletion Log (R-L1).
    const [history, deletion] = core.auditSince(before);
    expect(core.auditSince(before)).toHaveLength(2);
    expect(history).toMatchObject({ log: 'history', action: 'designObject.permissions' });
    expect(JSON.parse(history!.details)).toMatchObject({
      changes: [{ field: 'portal-bot', old: 'viewer', new: null }],
    });
    expect(deletion).toMatchObject({
      log: 'record_deletion',
      target: 'designObject:Docs',
      message: 'Removed portal-bot as Viewer on design object Docs (fix for portal Portal: unneeded|Docs)',
    });
    const uploader = await core.must('w', 'portals.get', { name: 'Uploader' });
    expect(uploader.findings.map((f) => [f.verdict, f.actual])).toEqual([['exact', 'editor']]);
  });

  it('R-A2: a reach warning has no fix to apply', async () => {
    const core = await portalsCore();
    await object(core, 'Salaries', 'record_type', [byDefault('viewer')]);
    await supplierPortal(core);
    const before = core.lastSeq();
    const r = await core.as('w', 'portals.fix', { portal: 'Portal', finding: 'reach|default' });
    expect(r).toMatchObject({ ok: false });
    expect(core.auditSince(before)).toMatchObject([{ outcome: 'refused', action: 'portals.fix' }]);
  });
});

describe('Deny wins over every grant', () => {
  it('a Deny through a group blocks a required level; its fix is refused with the reason, nothing written', async () => {
    const core = await portalsCore();
    await object(core, 'Supplier', 'record_type', [direct('other-bot', 'viewer'), viaGroup('Portal Accounts', 'deny')]);
    const report = await core.must('w', 'portals.create', {
      name: 'Portal',
      serviceAccount: 'other-bot',
      uses: [{ useCase: 'query_records', objects: ['Supplier'] }],
    });
    const f = report.findings[0]!;
    expect(f).toMatchObject({ verdict: 'missing', actual: 'deny', fix: null });
    expect(f.message).toContain('other-bot is denied on record type Supplier (Deny through group Portal Accounts)');
    expect(report.blocked).toBe(true);
    const err = await refusedOnce(core, 'portals.fix', { portal: 'Portal', finding: f.id }, 'conflict');
    expect(err.message).toContain('a Deny wins over every grant');
    expect((await core.must('w', 'designObjects.list', {}))[0]!.permissions).toHaveLength(2);
    // R-A5: nor is it published while the Deny blocks it; the refusal names the object and the Deny, nothing is made.
    const publish = await refusedOnce(core, 'portals.publish', { name: 'Portal' }, 'conflict');
    expect(publish.message).toContain('Supplier: needs Viewer');
    expect(publish.message).toContain('denied');
    expect(core.app.db.prepare(`SELECT count(*) FROM portal_keys`).pluck().get()).toBe(0);
  });

  it('a Deny through Default (All Other Users) denies service accounts too', async () => {
    const core = await portalsCore();
    await object(core, 'Supplier', 'record_type', [direct('portal-bot', 'viewer'), byDefault('deny')]);
    expect(await core.must('w', 'portals.recordTypeAccess', { serviceAccount: 'portal-bot' })).toEqual([]);
  });
});

describe('R-A3: Default (All Other Users) on a record type the portal uses', () => {
  it('R-A3: Viewer for everyone is a warning saying service accounts count as users; its fix gives the account a direct entry', async () => {
    const core = await portalsCore();
    await object(core, 'Supplier', 'record_type', [byDefault('viewer')]);
    await object(core, 'Docs', 'document_folder', [byDefault('viewer')]);
    const report = await core.must('w', 'portals.create', {
      name: 'Portal',
      serviceAccount: 'portal-bot',
      uses: [
        { useCase: 'query_records', objects: ['Supplier'] },
        { useCase: 'display_documents', objects: ['Docs'] },
      ],
    });
    expect(report.findings.map((f) => f.verdict)).toEqual(['exact', 'exact']);
    expect(report.warnings).toHaveLength(1); // the document folder is not a record type
    const w = report.warnings[0]!;
    expect(w).toMatchObject({ id: 'R-A3|Supplier', rule: 'R-A3', kind: 'default_viewer' });
    expect(w.message).toContain('service accounts count as users');
    const before = core.lastSeq();
    const fixed = await core.must('w', 'portals.fix', { portal: 'Portal', finding: w.id });
    expect(fixed.warnings).toEqual([]);
    expect(finding(fixed, 'query_records|Supplier')).toMatchObject({
      verdict: 'exact',
      held: [{ level: 'viewer', how: { via: 'direct' } }],
    });
    expect(core.auditSince(before).map((r) => r.log)).toEqual(['history', 'record_deletion']);
    expect(JSON.parse(core.auditSince(before)[0]!.details)).toMatchObject({
      changes: [
        { field: 'Default (All Other Users)', old: 'viewer', new: null },
        { field: 'portal-bot', old: null, new: 'viewer' },
      ],
    });
    expect(core.auditSince(before)[1]!.message).toBe(
      'Removed Default (All Other Users) as Viewer on design object Supplier (fix for portal Portal: R-A3|Supplier)',
    );
  });

  it('R-A3: Editor for everyone is warned of too, and more than needed for the account', async () => {
    const core = await portalsCore();
    await object(core, 'Supplier', 'record_type', [byDefault('editor')]);
    const report = await core.must('w', 'portals.create', {
      name: 'Portal',
      serviceAccount: 'portal-bot',
      uses: [{ useCase: 'query_records', objects: ['Supplier'] }],
    });
    expect(report.findings[0]!.verdict).toBe('more_than_needed');
    expect(report.warnings.map((x) => x.rule)).toEqual(['R-A3']);
  });

  it('R-A3: Viewer or more on a record type no portal uses is in the Default reach warning, naming R-A3, in every portal’s report, no fix', async () => {
    const core = await portalsCore();
    await object(core, 'Supplier', 'record_type', [direct('portal-bot', 'viewer'), direct('other-bot', 'viewer')]);
    await object(core, 'Salaries', 'record_type', [byDefault('viewer')]);
    await object(core, 'Bonuses', 'record_type', [byDefault('administrator')]);
    await object(core, 'Secrets', 'record_type', [byDefault('deny')]);
    await object(core, 'Docs', 'document_folder', [byDefault('viewer')]);
    const uses = [{ useCase: 'query_records' as const, objects: ['Supplier'] }];
    await core.must('w', 'portals.create', { name: 'A', serviceAccount: 'portal-bot', uses });
    await core.must('w', 'portals.create', { name: 'B', serviceAccount: 'other-bot', uses });
    for (const report of await core.must('w', 'portals.list', {})) {
      expect(report.warnings.map((w) => [w.id, w.fix, w.reach?.count, w.reach?.examples])).toEqual([
        ['reach|default', null, 3, ['Bonuses', 'Docs', 'Salaries']],
      ]);
      expect(report.warnings[0]!.message).toContain('service accounts count as users (R-A3)');
      expect(report.blocked).toBe(false);
    }
  });
});

describe('bad input is refused with a clear message, once recorded, nothing written', () => {
  it('an unknown object, an object of the wrong kind, a use case lacking a kind, an unknown use case', async () => {
    const core = await portalsCore();
    await object(core, 'Supplier', 'record_type');
    await object(core, 'Orders API', 'web_api');
    const create = (uses: Input<'portals.create'>['uses']) => ({ name: 'P', serviceAccount: 'portal-bot', uses });
    expect(
      await refusedOnce(core, 'portals.create', create([{ useCase: 'query_records', objects: ['Nope'] }]), 'not_found'),
    ).toMatchObject({ message: 'There is no design object named Nope.', field: 'uses.0.objects.0' });
    expect(
      await refusedOnce(
        core,
        'portals.create',
        create([{ useCase: 'upload_documents', objects: ['Supplier'] }]),
        'invalid_input',
      ),
    ).toMatchObject({ message: 'Supplier is a record type; upload documents uses document folders.' });
    expect(
      await refusedOnce(core, 'portals.create', create([{ useCase: 'cdt', objects: ['Orders API'] }]), 'invalid_input'),
    ).toMatchObject({ message: 'CDT needs a data store; add one it uses.' });
    const unknown = await core.as(
      'w',
      'portals.create',
      create([{ useCase: 'send_faxes', objects: ['Supplier'] }] as unknown as Input<'portals.create'>['uses']),
    );
    expect(unknown).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'uses.0.useCase' } });
    expect(!unknown.ok && unknown.error.message).toContain('A use case is one of query_records');
    expect(await core.must('w', 'portals.list', {})).toEqual([]);
  });

  it('a permission list with Initiator on a record type, an unknown user or group, or a grantee twice', async () => {
    const core = await portalsCore();
    await object(core, 'Supplier', 'record_type');
    const set = (permissions: PermissionEntry[]) => ({ name: 'Supplier', permissions });
    expect(
      await refusedOnce(
        core,
        'designObjects.setPermissions',
        set([direct('portal-bot', 'initiator')]),
        'invalid_input',
      ),
    ).toMatchObject({ message: 'A record type has no Initiator level; Initiator is for process models only.' });
    expect(
      await refusedOnce(core, 'designObjects.setPermissions', set([direct('ghost', 'viewer')]), 'not_found'),
    ).toMatchObject({ message: 'There is no user named ghost.' });
    expect(
      await refusedOnce(core, 'designObjects.setPermissions', set([viaGroup('Ghosts', 'viewer')]), 'not_found'),
    ).toMatchObject({ message: 'There is no group named Ghosts.' });
    expect(
      await refusedOnce(
        core,
        'designObjects.setPermissions',
        set([byDefault('viewer'), byDefault('deny')]),
        'invalid_input',
      ),
    ).toMatchObject({ message: 'Default (All Other Users) is listed twice.' });
    expect((await core.must('w', 'designObjects.list', {}))[0]!.permissions).toEqual([]);
  });
});

describe('audited like everything else', () => {
  it('a permission change is one History record, each entry old → new', async () => {
    const core = await portalsCore();
    await object(core, 'Supplier', 'record_type', [direct('portal-bot', 'editor'), byDefault('viewer')]);
    const before = core.lastSeq();
    await core.must('w', 'designObjects.setPermissions', {
      name: 'Supplier',
      permissions: [direct('portal-bot', 'viewer'), viaGroup('Portal Accounts', 'deny')],
    });
    const [rec] = core.auditSince(before);
    expect(rec).toMatchObject({ log: 'history', target: 'designObject:Supplier', operator: 'root' });
    expect(JSON.parse(rec!.details).changes).toEqual([
      { field: 'portal-bot', old: 'editor', new: 'viewer' },
      { field: 'Default (All Other Users)', old: 'viewer', new: null },
      { field: 'group Portal Accounts', old: null, new: 'deny' },
    ]);
  });

  it('R-L1: an entry taken off a list is in the Record Deletion Log beside the History record, and comes back from it', async () => {
    const core = await portalsCore();
    await object(core, 'Supplier', 'record_type', [
      direct('portal-bot', 'editor'),
      viaGroup('Portal Accounts', 'viewer'),
      byDefault('viewer'),
    ]);
    const before = core.lastSeq();
    await core.must('w', 'designObjects.setPermissions', {
      name: 'Supplier',
      permissions: [direct('portal-bot', 'viewer')],
    });
    const [history, deletion] = core.auditSince(before);
    expect(core.auditSince(before)).toHaveLength(2);
    expect(JSON.parse(history!.details).changes).toEqual([
      { field: 'portal-bot', old: 'editor', new: 'viewer' },
      { field: 'group Portal Accounts', old: 'viewer', new: null },
      { field: 'Default (All Other Users)', old: 'viewer', new: null },
    ]);
    // A level changed is History only; the two entries gone are the deletion, whole.
    expect(deletion).toMatchObject({ log: 'record_deletion', action: 'designObject.permissions', operator: 'root' });
    expect(JSON.parse(deletion!.details)).toEqual({
      deleted: 'grants',
      snapshot: {
        grants: [
          {
            type: 'designObjectEntry',
            object: 'Supplier',
            grantee: { type: 'group', name: 'Portal Accounts' },
            level: 'viewer',
          },
          { type: 'designObjectEntry', object: 'Supplier', grantee: { type: 'default' }, level: 'viewer' },
        ],
      },
    });

    // Default is listed again meanwhile, at another level: that one stays as it is now, and the restore says so.
    await core.must('w', 'designObjects.setPermissions', {
      name: 'Supplier',
      permissions: [direct('portal-bot', 'viewer'), byDefault('deny')],
    });
    const restoring = core.lastSeq();
    expect(await core.must('w', 'audit.restore', { seq: deletion!.seq })).toMatchObject({
      restored: 'group Portal Accounts as Viewer on design object Supplier',
    });
    expect((await core.must('w', 'designObjects.list', {}))[0]!.permissions).toEqual([
      direct('portal-bot', 'viewer'),
      byDefault('deny'),
      viaGroup('Portal Accounts', 'viewer'),
    ]);
    expect(core.auditSince(restoring)[0]!.message).toContain(
      'not restored: Default (All Other Users) as Viewer on design object Supplier (listed again, as Deny)',
    );
  });

  it('R-L1: an entry whose object or grantee is gone is not restored, and nothing is written', async () => {
    const core = await portalsCore();
    await core.must('w', 'groups.create', { name: 'Temps' });
    await object(core, 'Supplier', 'record_type', [viaGroup('Temps', 'viewer')]);
    await core.must('w', 'designObjects.setPermissions', { name: 'Supplier', permissions: [] });
    const deletion = core.lastSeq();
    await core.must('w', 'groups.delete', { name: 'Temps' });
    const before = core.lastSeq();
    const r = await core.as('w', 'audit.restore', { seq: deletion });
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        message: 'Nothing to restore: group Temps as Viewer on design object Supplier (group Temps is gone).',
      },
    });
    expect(core.auditSince(before)).toMatchObject([{ outcome: 'refused', action: 'audit.restore' }]);
    expect((await core.must('w', 'designObjects.list', {}))[0]!.permissions).toEqual([]);
  });

  it('R-L1: a deleted design object and portal come back from the Record Deletion Log', async () => {
    const core = await portalsCore();
    await object(core, 'Supplier', 'record_type', [direct('portal-bot', 'viewer')]);
    await core.must('w', 'portals.create', {
      name: 'Portal',
      serviceAccount: 'portal-bot',
      uses: [{ useCase: 'query_records', objects: ['Supplier'] }],
    });
    const inUse = await refusedOnce(core, 'designObjects.delete', { name: 'Supplier' }, 'conflict');
    expect(inUse.message).toContain('Supplier is used by portal Portal');

    await core.must('w', 'portals.delete', { name: 'Portal' });
    const portalSeq = core.lastSeq();
    await core.must('w', 'designObjects.delete', { name: 'Supplier' });
    const objectSeq = core.lastSeq();
    expect(core.auditSince(portalSeq - 1).map((r) => [r.log, r.action])).toEqual([
      ['record_deletion', 'portal.delete'],
      ['record_deletion', 'designObject.delete'],
    ]);
    expect(await core.must('w', 'designObjects.list', {})).toEqual([]);

    await core.must('w', 'audit.restore', { seq: objectSeq });
    await core.must('w', 'audit.restore', { seq: portalSeq });
    expect(await core.must('w', 'designObjects.list', {})).toEqual([
      { name: 'Supplier', kind: 'record_type', permissions: [direct('portal-bot', 'viewer')] },
    ]);
    const [restored] = await core.must('w', 'portals.list', {});
    expect(restored!.portal).toEqual({
      name: 'Portal',
      serviceAccount: 'portal-bot',
      uses: [{ useCase: 'query_records', objects: ['Supplier'] }],
    });
    expect(restored!.findings[0]!.verdict).toBe('exact');
  });
});

describe('R-A1: a portal keeps one service account through changes', () => {
  it('R-A1: portals.update refuses a person, records the change old → new; its account is not deleted from under it', async () => {
    const core = await portalsCore();
    await object(core, 'Supplier', 'record_type', [direct('portal-bot', 'viewer'), direct('other-bot', 'viewer')]);
    await core.must('w', 'portals.create', {
      name: 'Portal',
      serviceAccount: 'portal-bot',
      uses: [{ useCase: 'query_records', objects: ['Supplier'] }],
    });
    const err = await refusedOnce(core, 'portals.update', { name: 'Portal', serviceAccount: 'root' }, 'invalid_input');
    expect(err.message).toContain('not a service account');

    const before = core.lastSeq();
    const moved = await core.must('w', 'portals.update', { name: 'Portal', serviceAccount: 'other-bot' });
    expect(moved.portal.serviceAccount).toBe('other-bot');
    expect(core.auditSince(before)).toMatchObject([
      { log: 'history', action: 'portal.update', target: 'portal:Portal' },
    ]);
    expect(JSON.parse(core.auditSince(before)[0]!.details)).toEqual({
      changes: [{ field: 'serviceAccount', old: 'portal-bot', new: 'other-bot' }],
    });

    // Its use cases and objects too, old → new in one record, the findings answered for the new ones.
    await object(core, 'Onboarding', 'process_model', [direct('other-bot', 'initiator')]);
    const seq = core.lastSeq();
    const uses = [
      { useCase: 'query_records' as const, objects: ['Supplier'] },
      { useCase: 'start_process' as const, objects: ['Onboarding'] },
    ];
    const widened = await core.must('w', 'portals.update', { name: 'Portal', uses });
    expect(widened.findings.map((f) => `${f.id} ${f.verdict}`)).toEqual([
      'query_records|Supplier exact',
      'start_process|Onboarding exact',
    ]);
    expect(JSON.parse(core.auditSince(seq)[0]!.details)).toEqual({
      changes: [
        {
          field: 'uses',
          old: 'query records: Supplier',
          new: 'query records: Supplier; start a process: Onboarding',
        },
      ],
    });
    // An unknown object is refused, naming it, and nothing changes.
    const unknown = await refusedOnce(
      core,
      'portals.update',
      { name: 'Portal', uses: [{ useCase: 'query_records', objects: ['Nowhere'] }] },
      'not_found',
    );
    expect(unknown).toMatchObject({ field: 'uses.0.objects.0', message: 'There is no design object named Nowhere.' });
    expect((await core.must('w', 'portals.get', { name: 'Portal' })).portal.uses).toEqual(uses);

    expect(await core.as('w', 'serviceAccounts.delete', { username: 'other-bot' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', rule: 'R-A1', message: expect.stringMatching(/service account of portal Portal/) },
    });
    // As a Deputy before that refusal could leave it: the account gone, the portal naming it is blocked.
    core.app.db.prepare(`DELETE FROM principals WHERE username = 'other-bot'`).run();
    const orphan = await core.must('w', 'portals.get', { name: 'Portal' });
    expect(orphan.blocked).toBe(true);
    expect(orphan.warnings).toMatchObject([
      {
        rule: 'R-A1',
        kind: 'account_not_service',
        message: 'other-bot no longer exists; give the portal a service account.',
      },
    ]);
  });
});

describe('R-A1 in a decision: the rule beside the reason, not in it', () => {
  it('R-A1: an account that is no service account answers no, the reason without the id, the rule apart', () => {
    const portal = {
      name: 'Suppliers',
      serviceAccount: 'jdoe',
      uses: [{ useCase: 'query_records' as const, objects: ['Orders'] }],
    };
    const facts = {
      objects: new Map([['Orders', { name: 'Orders', kind: 'record_type' as const, permissions: [] }]]),
      portals: [portal],
      principals: new Map([['jdoe', { kind: 'human' as const, status: 'active' as const }]]),
      groupsOf: new Map<string, string[]>(),
    };
    const d = portalUseDecision(facts, portal, 'query_records', 'Orders');
    expect(d).toMatchObject({
      allowed: false,
      reason: 'jdoe is not a service account, so portal Suppliers cannot act.',
      rule: 'R-A1',
    });
  });
});
