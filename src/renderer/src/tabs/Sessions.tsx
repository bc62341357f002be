// Sessions: active and past impersonation sessions — who, whom, why, when, how they ended, how much was done.
import { useEffect, useState } from 'react';
import { api } from '../api';
import { ErrorNote } from '../components/Form';
import { usePermissions } from '../stores/permissions';
import type { ImpersonationSessionRow } from '../../../shared/model';

const ENDED: Record<NonNullable<ImpersonationSessionRow['endReason']>, string> = {
  back_to_me: 'Back to me',
  expired: 'expired',
  signed_out: 'signed out',
  idle_lock: 'idle lock',
  rights_lost: 'rights lost',
  quit: 'console closed',
  crash_recovery: 'closed after a crash',
};

const time = (iso: string | null) => (iso ? iso.replace('T', ' ').slice(0, 16) : '');

export function Sessions({ onShowRecords }: { onShowRecords(session: ImpersonationSessionRow): void }) {
  const canSeeAll = usePermissions((s) => s.can['audit.read'] === true);
  const [all, setAll] = useState(canSeeAll);
  const [rows, setRows] = useState<ImpersonationSessionRow[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void api['impersonation.sessions']({ all }).then((r) => (r.ok ? setRows(r.value) : setError(r.error.message)));
  }, [all]);

  return (
    <div className="sessions">
      {canSeeAll && (
        <label className="check">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
          Everyone’s sessions (not only mine)
        </label>
      )}
      <ErrorNote message={error} />
      <table aria-label="Impersonation sessions">
        <thead>
          <tr>
            <th>Who</th>
            <th>As whom</th>
            <th>Reason</th>
            <th>Started (UTC)</th>
            <th>Ended</th>
            <th>Actions</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <tr key={s.id}>
              <td className="mono">{s.operator}</td>
              <td className="mono">{s.target}</td>
              <td>
                {s.reason}
                {s.ticket && <span className="muted"> ({s.ticket})</span>}
              </td>
              <td className="mono">{time(s.startedAt)}</td>
              <td>
                {s.endedAt ? (
                  <>
                    <span className="mono">{time(s.endedAt)}</span>{' '}
                    <span className="muted">{ENDED[s.endReason ?? 'quit']}</span>
                  </>
                ) : (
                  <span className="badge status-active">active</span>
                )}
              </td>
              <td>{s.actions}</td>
              <td>
                {canSeeAll && (
                  <button className="link" onClick={() => onShowRecords(s)}>
                    Records
                  </button>
                )}
              </td>
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td colSpan={7} className="muted">
                No impersonation sessions yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
