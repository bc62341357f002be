// One object's History records (R-L1), newest first, where the object is shown: who changed what, old → new. Read
// through audit.list with a target filter, so only someone who may read the audit log sees it; anyone else sees
// no section rather than a refusal (the shell's access.canI answer for audit.read decides).
import { useEffect, useState } from 'react';
import { api } from '../api';
import { usePermissions } from '../stores/permissions';
import { HistoryChanges, historyChanges } from './HistoryChanges';
import { recordTime } from '../../../shared/auditTime';
import type { AuditRecord } from '../../../shared/model';

/** The newest records shown; the Audit log tab has the rest. */
const SHOWN = 20;

/** `target` as records name it (`flow:Purchase Order`); `version` changes whenever the object may have changed. */
export function TargetHistory({ target, version }: { target: string; version: unknown }) {
  const mayRead = usePermissions((s) => s.can['audit.read'] === true);
  const [rows, setRows] = useState<AuditRecord[] | null>(null);

  useEffect(() => {
    if (!mayRead) return;
    let current = true;
    void api['audit.list']({ log: 'history', target, limit: SHOWN }).then((r) => {
      // A refusal (the right lost since sign-in) shows nothing, as for someone who never had it.
      if (current) setRows(r.ok ? r.value.rows : null);
    });
    return () => {
      current = false;
    };
  }, [mayRead, target, version]);

  if (!mayRead || rows === null) return null;
  return (
    <section aria-label="History" className="target-history">
      <h3>History</h3>
      {rows.length === 0 && <p className="muted">No changes recorded yet.</p>}
      {/* Paragraphs, not a list: the screens around it find their own lists by role. */}
      {rows.map((r) => {
        const changes = historyChanges(r);
        return (
          <div key={r.seq} className="history-entry">
            <p>
              <span className="mono">{recordTime(r.ts)}</span> {r.username}: {r.message}
            </p>
            {changes && <HistoryChanges changes={changes} />}
          </div>
        );
      })}
    </section>
  );
}
