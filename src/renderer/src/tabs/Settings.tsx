import { useEffect, useState } from 'react';
import { api } from '../api';
import { ErrorNote } from '../components/Form';
import { PolicyBundle } from './PolicyBundle';
import { ImpersonationSettings } from './ImpersonationSettings';
import { SessionSettings } from './SessionSettings';
import { SignInSettings } from './SignInSettings';
import { ForwardingSettings } from './ForwardingSettings';
import { usePermissions } from '../stores/permissions';
import type { KeychainStatus, Settings as SettingsValues } from '../../../shared/model';

export function Settings({ keychain }: { keychain: KeychainStatus }) {
  const [settings, setSettings] = useState<SettingsValues | null>(null);
  const [error, setError] = useState<string | null>(null);
  const can = usePermissions((s) => s.can);
  const canRead = can['directory.read'] === true;
  const canEdit = can['settings.update'] === true;

  // Read once for every section below. Reading them needs directory.read: a person without it (jdoe, or an
  // administrator acting as jdoe) is not sent to be refused, which would also leave a refusal in the log.
  useEffect(() => {
    if (!canRead) return;
    void api['settings.get']({}).then((r) => (r.ok ? setSettings(r.value) : setError(r.error.message)));
  }, [canRead]);

  return (
    <div className="settings">
      <section className="card" aria-label="OS keychain">
        <h2>OS keychain</h2>
        {keychain.available ? (
          <p>
            <span className="badge status-active">available</span> Secrets are kept in the {keychain.backend}.
          </p>
        ) : (
          <>
            <p>
              <span className="badge warn">unavailable</span> Operations that need a secret (creating access keys,
              publishing portals) are refused until it is back. Nothing is stored elsewhere instead.
            </p>
            <p className="reason" aria-label="What is missing">
              {keychain.reason}
            </p>
            <p className="fix" aria-label="How to fix it">
              <strong>To fix:</strong> {keychain.fix}
            </p>
          </>
        )}
      </section>
      {!canRead && (
        <section className="card" aria-label="Deputy's settings">
          <h2>Deputy&apos;s settings</h2>
          <p className="muted">
            Administrators and auditors see Deputy&apos;s settings here; your roles do not include them.
          </p>
        </section>
      )}
      <ErrorNote message={error} />
      {settings && (
        <>
          <SessionSettings initial={settings} canEdit={canEdit} />
          <SignInSettings initial={settings} canEdit={canEdit} />
          <ImpersonationSettings initial={settings} canEdit={canEdit} />
        </>
      )}
      {can['audit.read'] && <ForwardingSettings canEdit={canEdit} />}
      <PolicyBundle canExport={can['policy.export'] === true} canImport={can['policy.import'] === true} />
    </div>
  );
}
