// Session settings: how long an idle console session stays open before it locks.
import { useState } from 'react';
import { SettingsCard } from './SettingsCard';
import type { Settings } from '../../../shared/model';

export function SessionSettings({ initial, canEdit }: { initial: Settings; canEdit: boolean }) {
  const [idle, setIdle] = useState(String(initial.idleLockMinutes));
  return (
    <SettingsCard
      title="Session"
      canEdit={canEdit}
      change={() => ({ idleLockMinutes: Number(idle) })}
      saved={(s) => `Saved: the session locks after ${s.idleLockMinutes} minutes idle.`}
      readOnly="Only a Super Admin or IAM Admin changes this setting."
    >
      <label className="field">
        <span>Lock the session after this many minutes idle</span>
        <input
          type="number"
          min={1}
          max={240}
          value={idle}
          disabled={!canEdit}
          onChange={(e) => setIdle(e.target.value)}
        />
      </label>
    </SettingsCard>
  );
}
