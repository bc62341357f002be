// Impersonation settings (R-S10): the longest a session may last. Every session carries a reason, always: no
// setting turns that off.
import { useState } from 'react';
import { SettingsCard } from './SettingsCard';
import { Rule } from '../components/Rule';
import type { Settings } from '../../../shared/model';

export function ImpersonationSettings({ initial, canEdit }: { initial: Settings; canEdit: boolean }) {
  const [minutes, setMinutes] = useState(String(initial.impersonationMinutes));
  return (
    <SettingsCard
      title="Impersonation"
      canEdit={canEdit}
      change={() => ({ impersonationMinutes: Number(minutes) })}
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
      <p className="muted" role="note">
        Every session needs a reason, which goes into the logs. <Rule id="R-S10" />
      </p>
    </SettingsCard>
  );
}
