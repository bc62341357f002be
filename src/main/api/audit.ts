import { sendTestRecord } from '../audit/forwardTest';
import { verifyAudit } from '../audit/verify';
import { countsPerDay, queryAudit } from '../audit/query';
import { exportAudit } from '../audit/export';
import { restoreFromDeletionLog, restoreRefusal } from '../deletions/restore';
import { countAfter, forwardedUpTo, readTarget, writeTarget } from '../audit/forward';
import { DeputyError } from '../kernel/errors';
import type { AppContext } from '../kernel/context';
import type { Handlers } from './types';

function forwardingStatus(app: AppContext) {
  const upTo = forwardedUpTo(app);
  const target = readTarget(app);
  const pending = target ? countAfter(app, upTo) : 0;
  return { target, forwardedUpTo: upTo, pending, lastFailure: target ? (app.forwarder?.lastFailure() ?? null) : null };
}

const UI_EXPORT_LIMIT = 50 * 1024 * 1024;

export const auditHandlers = (app: AppContext) =>
  ({
    'audit.list': (input) => {
      return queryAudit(app.db, input);
    },
    // Without a start, the last 30 days: the chart stays small on a log of years.
    'audit.countsPerDay': (input) => {
      const from = input.from ?? new Date(app.clock().getTime() - 30 * 86_400_000).toISOString();
      return countsPerDay(app.db, { ...input, from });
    },
    // The window gets the export as text; a log too big for that is exported with `deputy audit export`.
    'audit.export': async (input, { caller }) => {
      const chunks: string[] = [];
      let size = 0;
      const { format, ...filter } = input; // the format is the manifest's own, not part of its filter
      const manifest = await exportAudit(app, format, filter, (chunk) => {
        size += chunk.length;
        if (size > UI_EXPORT_LIMIT) {
          throw new DeputyError(
            'conflict',
            'This export is larger than 50 MB: use `deputy audit export` for it, or narrow the filter.',
          );
        }
        chunks.push(chunk);
      });
      app.audit.append({
        operator: caller.username,
        action: 'audit.export',
        target: input.format,
        message: `Exported ${manifest.count} audit records as ${input.format}`,
        details: { filter: manifest.filter, sha256: manifest.sha256 },
      });
      const stamp = manifest.createdAt.replace(/[:.]/g, '-');
      return { filename: `deputy-audit-${stamp}.${input.format}`, content: chunks.join(''), manifest };
    },
    'audit.restore': (input, { caller }) => ({ restored: restoreFromDeletionLog(app, caller, input.seq) }),
    'audit.mayRestore': (input, { caller }) => {
      const why = restoreRefusal(app, caller, input.seq);
      return { allowed: why === null, why };
    },
    'forwarding.get': () => {
      return forwardingStatus(app);
    },
    'forwarding.set': (input, { caller }) => {
      const old = readTarget(app);
      const text = (t: typeof old) => (t ? `${t.protocol}://${t.host}:${t.port}` : 'off');
      app.db.transaction(() => {
        writeTarget(app, input.target);
        app.audit.append({
          log: 'history',
          operator: caller.username,
          action: 'forwarding.set',
          target: 'syslog forwarding',
          message: `Syslog forwarding: ${text(old)} → ${text(input.target)}`,
          details: { field: 'forward.target', old, new: input.target },
        });
      })();
      void app.forwarder?.drain().catch(() => undefined);
      return forwardingStatus(app);
    },
    'forwarding.test': (input, { caller }) => sendTestRecord(app, caller, input.target),
    'audit.verify': async () => {
      await app.anchor.sync();
      return verifyAudit(app.db, app.vault, app.anchor);
    },
  }) satisfies Pick<
    Handlers,
    | 'audit.list'
    | 'audit.countsPerDay'
    | 'audit.export'
    | 'audit.restore'
    | 'audit.mayRestore'
    | 'forwarding.get'
    | 'forwarding.set'
    | 'forwarding.test'
    | 'audit.verify'
  >;
