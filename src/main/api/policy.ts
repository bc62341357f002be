import { DeputyError } from '../kernel/errors';
import { exportBundle } from '../bundles/export';
import { planImport, writeBundle } from '../bundles/import';
import { recordDeletion } from '../deletions/record';
import { describeGrant } from '../deletions/grants';
import { bundleProblems } from '../../shared/bundle';
import { plural } from '../../shared/model';
import { factsOf } from '../../shared/policy';
import type { AppContext } from '../kernel/context';
import type { Handlers } from './types';

export const policyHandlers = (app: AppContext) =>
  ({
    'policy.export': () => {
      return exportBundle(app.db);
    },
    'policy.import': (input, { caller }) => {
      const { bundle, problems } = bundleProblems(input.bundle);
      if (!bundle) {
        const lines = problems.map((p) => `${p.path}: ${p.message}`);
        throw new DeputyError(
          'invalid_input',
          `The bundle has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was imported.\n${lines.join('\n')}`,
          'bundle',
        );
      }
      const { plan: found, refusals } = planImport(app, caller, bundle);
      const accepted = [...new Set(input.accept)];
      const unknown = accepted.filter((id) => !found.drift.some((d) => d.id === id));
      if (unknown.length) {
        throw new DeputyError(
          'invalid_input',
          `Accepted ${unknown.length === 1 ? 'difference' : 'differences'} ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not among this import's differences (${found.drift.map((d) => d.id).join(', ') || 'none'}).`,
          'accept',
        );
      }
      const plan = { ...found, accepted };
      if (input.dryRun || plan.changes.length === 0) return plan;
      if (refusals.length) {
        // One record for the import, with every change refused and decide()'s reasons for each (R-L3).
        app.audit.append({
          operator: caller.username,
          action: 'policy.import',
          target: bundle.organisation ?? 'policy bundle',
          outcome: 'refused',
          message: `Refused policy.import: ${plan.refused.join('; ')}`,
          details: { refused: refusals.map((r) => ({ change: r.change, reasons: r.decision.reasons })) },
        });
        throw new DeputyError(
          'forbidden',
          `You may not import this bundle: it changes ${refusals.length === 1 ? 'a flow' : 'flows'} only ${refusals.length === 1 ? 'its' : 'their'} Flow Admins may change, and a Super Admin adds themself as Flow Admin first. Nothing was imported.\n${refusals.map((r) => `${r.change}: ${factsOf(r.decision)}`).join('\n')}`,
          'bundle',
          true,
          refusals[0]!.decision.reasons.find((r) => r.rule !== 'catalog')?.rule ?? 'R-K4',
        );
      }
      // R-A4: the import goes on only once every difference between environments is gone or accepted.
      const open = plan.drift.filter((d) => !accepted.includes(d.id));
      if (open.length) {
        throw new DeputyError(
          'conflict',
          `This environment differs from the bundle's for the service accounts its portals need; make them match or accept each difference. Nothing was imported.\n${open.map((d) => `${d.id}: ${d.message}`).join('\n')}`,
          'accept',
        );
      }
      return app.db.transaction(() => {
        const removed = writeBundle(app, bundle);
        // Grants the import took away are deletions (R-L1): their snapshot goes to the Record Deletion Log, restorable.
        if (removed.length) {
          recordDeletion(app, caller, {
            deleted: 'grants',
            snapshot: { grants: removed },
            action: 'policy.import',
            target: bundle.organisation ?? 'policy bundle',
            message: `Import removed ${plural(removed.length, 'grant')}: ${removed.map(describeGrant).join('; ')}`,
          });
        }
        app.audit.appendAll([
          ...plan.drift.map((d) => ({
            operator: caller.username,
            action: 'policy.import.acceptDrift',
            target: `service account ${d.account}`,
            message: `Accepted a difference between environments (R-A4) to import a policy bundle: ${d.message}`,
            details: { ...d },
          })),
          ...plan.changes.map((c) => ({
            log: 'history' as const,
            operator: caller.username,
            action: 'policy.import',
            target: c.subject,
            message: `Import: ${c.kind === 'add' ? 'added' : 'changed'} ${c.subject}${c.details.length ? `: ${c.details.join('; ')}` : ''}`,
            details: { ...c },
          })),
          {
            operator: caller.username,
            action: 'policy.import',
            target: bundle.organisation ?? 'policy bundle',
            message: `Imported a policy bundle: ${plan.changes.length} changes`,
            details: { changes: plan.changes.length, warnings: plan.warnings, accepted },
          },
        ]);
        return { ...plan, applied: true };
      })();
    },
  }) satisfies Pick<Handlers, 'policy.export' | 'policy.import'>;
