// Impersonation settings (R-S10): the longest a session may last, and whether a reason is required.
import { useState } from 'react';
import { SettingsCard } from './SettingsCard';
import type { Settings } from '../../../shared/model';

export function ImpersonationSettings({ initial, canEdit }: { initial: Settings; canEdit: boolean }) {
  const [minutes, setMinutes] = useState(String(initial.impersonationMinutes));
  const [requireReason, setRequireReason] = useState(initial.requireImpersonationReason);
  return (
    <SettingsCard
      title="Impersonation"
      canEdit={canEdit}
      change={() => ({ impersonationMinutes: Number(minutes), requireImpersonationReason: requireReason })}
      saved={(s) => `Saved: sessions last at most ${s.impersonationMinutes} minutes.`}
    >
      <label className="field">
        <span>Longest session, in minutes (at most 480)</span>
        <input
          type="number"
          min={1}
          max={480}
          value={minutes}
          disabled={!canEdit}
          onChange={(e) => setMinutes(e.target.value)}
        />
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={requireReason}
          disabled={!canEdit}
          onChange={(e) => setRequireReason(e.target.checked)}
        />
        A reason is required to start a session
      </label>
    </SettingsCard>
  );
}
