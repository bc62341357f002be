// `deputy portal check NAME [--json]`: a portal's findings (R-A1–R-A3) for a deployment pipeline, before import or
// publish. The exit code follows what blocks publishing, as the console's Publish does: 1 when a finding would block it
// (a missing grant, an account that is not an active service account), 0 otherwise; more than needed, entries not
// needed and warnings (what a group or Default gives beyond the needs) are printed, and counted in --json's `problems`,
// but are flags, not errors (R-A2), so a pipeline is not stopped by a Default entry no portal owns. 2 on bad input (no
// such portal). It reads the database file and changes nothing.
import { UsageError } from '../errors';
import { DeputyError } from '../../kernel/errors';
import { getReport } from '../../portals/manage';
import { USE_CASE_TABLE, KIND_LABELS, type PortalReport } from '../../../shared/portals';
import type { Core } from '../../core';

const VERDICT_LABELS = { missing: 'missing', exact: 'exact', more_than_needed: 'more than needed' } as const;

/** Everything that is not an exact grant, blocking or not: what the check lists. */
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
  const exit = report.blocked ? 1 : 0;
  if (values.json) {
    console.log(JSON.stringify({ ...report, problems: count }, null, 2));
    return exit;
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
  const findings = `${count} finding${count === 1 ? '' : 's'}`;
  console.log(
    !count
      ? 'No findings: every grant is exactly what is needed.'
      : report.blocked
        ? `${findings}: publishing blocked.`
        : `${findings}, none blocking publishing.`,
  );
  return exit;
}
