// `deputy audit verify | export | verify-export`.
import { closeSync, createReadStream, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { UsageError } from '../errors';
import { verifyAudit } from '../../audit/verify';
import { exportAudit } from '../../audit/export';
import { exportManifestSchema, verifyExport } from '../../audit/verifyExport';
import { AUDIT_TIME_HINT, auditTimeBound } from '../../../shared/auditTime';
import {
  AUDIT_LOGS,
  type AuditExportFormat,
  type AuditExportManifest,
  type AuditVerifyReport,
} from '../../../shared/model';
import type { Core } from '../../core';

export interface AuditOptions {
  json: boolean;
  format?: string | undefined;
  log?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  out?: string | undefined;
}

const manifestPath = (file: string) => `${file}.manifest.json`;

/** --from and --to as the Audit log tab takes them (shared/auditTime.ts): a To date covers its whole day. */
function timeOrUsage(flag: 'from' | 'to', value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const instant = auditTimeBound(value, flag);
  if (instant === null) throw new UsageError(`--${flag}: ${AUDIT_TIME_HINT} Not ${value}.`);
  return instant;
}

async function exportCommand(core: Core, o: AuditOptions): Promise<number> {
  const format = (o.format ?? 'jsonl') as AuditExportFormat;
  if (format !== 'jsonl' && format !== 'csv') throw new UsageError(`--format is jsonl or csv, not ${o.format}.`);
  if (!o.out) throw new UsageError('audit export needs --out FILE (the manifest is written beside it).');
  if (o.log && !(AUDIT_LOGS as readonly string[]).includes(o.log)) {
    throw new UsageError(`--log is one of ${AUDIT_LOGS.join(', ')}, not ${o.log}.`);
  }
  const filter = { log: o.log, from: timeOrUsage('from', o.from), to: timeOrUsage('to', o.to) };
  const fd = openSync(o.out, 'w');
  let manifest: AuditExportManifest;
  try {
    manifest = await exportAudit(core.app, format, filter, (chunk) => void writeSync(fd, chunk));
  } finally {
    closeSync(fd);
  }
  writeFileSync(manifestPath(o.out), `${JSON.stringify(manifest, null, 2)}\n`);
  core.app.audit.append({
    operator: null,
    action: 'audit.export',
    target: o.out,
    message: `Exported ${manifest.count} audit records as ${format} from the command line`,
    details: { filter, sha256: manifest.sha256 },
  });
  console.log(`Wrote ${manifest.count} records to ${o.out} and the manifest to ${manifestPath(o.out)}.`);
  return 0;
}

/** The manifest beside an export, or a usage error naming what is wrong with it. */
function parseManifest(path: string, text: string): AuditExportManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${path} is not JSON: ${(err as Error).message}`);
  }
  const parsed = exportManifestSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new UsageError(
    `${path} is not an export manifest: ${issue?.path.join('.') || 'it'}: ${issue?.message ?? 'not valid'}.`,
  );
}

async function verifyExportCommand(core: Core, file: string | undefined): Promise<number> {
  if (!file) throw new UsageError('audit verify-export needs the export FILE (with FILE.manifest.json beside it).');
  let manifestText: string;
  try {
    closeSync(openSync(file, 'r')); // the file is read as it streams, below; say now if it cannot be
    manifestText = readFileSync(manifestPath(file), 'utf8');
  } catch (err) {
    throw new UsageError(`Cannot read ${file} and its manifest: ${(err as Error).message}`);
  }
  const manifest = parseManifest(manifestPath(file), manifestText);
  const check = await verifyExport(core.app, createReadStream(file), manifest);
  for (const line of check.lines) console.log(line);
  console.log(check.ok ? 'OK: the export is as it was written.' : 'BROKEN: the export does not match its manifest.');
  return check.ok ? 0 : 1;
}

export async function auditCommand(
  core: Core,
  sub: string | undefined,
  rest: string[],
  o: AuditOptions,
): Promise<number> {
  if (sub === 'export') return exportCommand(core, o);
  if (sub === 'verify-export') return verifyExportCommand(core, rest[0]);
  if (sub !== 'verify')
    throw new UsageError(`audit needs a subcommand: verify, export or verify-export${sub ? ` (not "${sub}")` : ''}.`);
  await core.app.anchor.sync();
  return printVerify(await verifyAudit(core.app.db, core.app.vault, core.app.anchor), o);
}

/** A verify report as the CLI gives it: JSON, or a line (and what a copy's check leaves out); the exit code. */
export function printVerify(report: AuditVerifyReport, o: Pick<AuditOptions, 'json'>): number {
  if (o.json) console.log(JSON.stringify(report, null, 2));
  else if (report.ok) {
    const unkeyed = report.unkeyed
      ? ` (${report.unkeyed} written while the OS keychain was unavailable: chained, not keyed)`
      : '';
    console.log(`OK: ${report.count} records, chain intact${unkeyed}.`);
  } else console.log(`BROKEN at record ${report.break?.seq} (${report.break?.kind}): ${report.break?.message}`);
  if (report.copyOf && !o.json) {
    console.log(
      `This file is a copy of the log at ${report.copyOf}, which the keychain's anchor belongs to: its chain was ` +
        `checked on its own, not its tail against the anchor.`,
    );
  }
  return report.ok ? 0 : 1;
}
