// Sign-in settings (issue 23): how long a lockout by failed sign-ins lasts. Its changes go to History like every
// setting's; the lockout's end is recorded there too.
import { useState } from 'react';
import { SettingsCard } from './SettingsCard';
import type { Settings } from '../../../shared/model';

export function SignInSettings({ initial, canEdit }: { initial: Settings; canEdit: boolean }) {
  const [minutes, setMinutes] = useState(String(initial.signInLockoutMinutes));
  return (
    <SettingsCard
      title="Sign-in"
      canEdit={canEdit}
      change={() => ({ signInLockoutMinutes: Number(minutes) })}
      saved={(s) =>
        s.signInLockoutMinutes === 0
          ? 'Saved: a locked account stays locked until an administrator unlocks it.'
          : `Saved: a lockout by failed sign-ins ends after ${s.signInLockoutMinutes} minutes.`
      }
    >
      <label className="field">
        <span>After 5 wrong passwords, lock the account for this many minutes (0: until an administrator unlocks)</span>
        <input
          type="number"
          min={0}
          max={1440}
          value={minutes}
          disabled={!canEdit}
          onChange={(e) => setMinutes(e.target.value)}
        />
        <small>An account locked any other way stays locked until an administrator unlocks it.</small>
      </label>
    </SettingsCard>
  );
}
