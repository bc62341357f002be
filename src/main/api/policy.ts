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
      const plan = planImport(app, bundle);
      if (input.dryRun || plan.changes.length === 0) return plan;
      return app.db.transaction(() => {
        writeBundle(app, bundle);
        app.audit.appendAll([
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
            details: { changes: plan.changes.length, warnings: plan.warnings },
          },
        ]);
        return { ...plan, applied: true };
      })();
    },
  }) satisfies Pick<Handlers, 'policy.export' | 'policy.import'>;
