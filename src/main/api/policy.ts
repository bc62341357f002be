import { DeputyError } from '../kernel/errors';
import { exportBundle } from '../bundles/export';
import { planImport, writeBundle } from '../bundles/import';
import { bundleProblems } from '../../shared/bundle';
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
      const found = planImport(app, bundle);
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
        writeBundle(app, bundle);
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
