// `deputy portal check NAME [--json]`: a portal's findings (R-A1–R-A3) for a deployment pipeline, before import or
// publish. Exit 0 when every use case holds exactly what it needs and nothing is warned about, 1 when there is a
// finding (missing, more than needed, an entry of the account's own that no use case needs, or a warning, such as what
// a group or Default gives it beyond its needs), 2 on bad input (no such portal). It reads the database file and
// changes nothing.
import { UsageError } from '../errors';
import { DeputyError } from '../../kernel/errors';
import { getReport } from '../../portals/manage';
import { USE_CASE_TABLE, KIND_LABELS, type PortalReport } from '../../../shared/portals';
import type { Core } from '../../core';

const VERDICT_LABELS = { missing: 'missing', exact: 'exact', more_than_needed: 'more than needed' } as const;

/** Everything that is not an exact grant: what makes the check fail. */
export const problemsOf = (r: PortalReport) =>
  r.findings.filter((f) => f.verdict !== 'exact').length + r.unneeded.length + r.warnings.length;

export function portalCommand(core: Core, positionals: string[], values: { json?: boolean }): number {
  const [sub, name] = positionals;
  if (sub !== 'check') throw new UsageError('portal needs a subcommand: portal check NAME [--json].');
  if (!name) throw new UsageError('portal check needs the portal NAME.');
  let report: PortalReport;
  try {
    report = getReport(core.app, name);
  } catch (err) {
    if (err instanceof DeputyError && err.code === 'not_found') throw new UsageError(err.message);
    throw err;
  }
  const count = problemsOf(report);
  if (values.json) {
    console.log(JSON.stringify({ ...report, problems: count }, null, 2));
    return count ? 1 : 0;
  }
  const { portal } = report;
  console.log(
    `Portal ${portal.name} (service account ${portal.serviceAccount}): ${report.blocked ? 'publishing blocked' : 'can be published'}`,
  );
  for (const f of report.findings) {
    console.log(
      `  ${VERDICT_LABELS[f.verdict]}: ${USE_CASE_TABLE[f.useCase].label} on ${KIND_LABELS[f.kind]} ${f.object}: ${f.message}`,
    );
  }
  for (const u of report.unneeded) console.log(`  not needed: ${KIND_LABELS[u.kind]} ${u.object}: ${u.message}`);
  for (const w of report.warnings) console.log(`  ${w.rule} warning: ${w.message}`);
  console.log(
    count ? `${count} finding${count === 1 ? '' : 's'}.` : 'No findings: every grant is exactly what is needed.',
  );
  return count ? 1 : 0;
}
