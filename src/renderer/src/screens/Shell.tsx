import { useEffect, useState } from 'react';
import { AccessCheck } from '../tabs/AccessCheck';
import { AuditLog } from '../tabs/AuditLog';
import { Directory } from '../tabs/Directory';
import { Flows } from '../tabs/Flows';
import { ImpersonationSecurity } from '../tabs/ImpersonationSecurity';
import { Settings } from '../tabs/Settings';
import { usePermissions } from '../stores/permissions';
import { useSession } from '../stores/session';
import { principalLabel, type KeychainStatus, type Operator } from '../../../shared/model';

const TABS = [
  { id: 'directory', label: 'Directory', needs: 'directory.read' },
  { id: 'impersonation', label: 'Impersonation security', needs: 'directory.read' },
  { id: 'flows', label: 'Flows', needs: 'directory.read' },
  { id: 'audit', label: 'Audit log', needs: 'audit.read' },
  { id: 'access', label: 'Access check', needs: 'directory.read' },
  { id: 'settings', label: 'Settings', needs: null },
] as const;
type TabId = (typeof TABS)[number]['id'];

export function Shell({ operator, keychain }: { operator: Operator; keychain: KeychainStatus }) {
  const signOut = useSession((s) => s.signOut);
  const { can, loaded, load } = usePermissions();
  useEffect(() => void load(), [load, operator.username]);
  const visible = TABS.filter((t) => t.needs === null || can[t.needs]);
  const [chosen, setTab] = useState<TabId>('directory');
  const tab = visible.some((t) => t.id === chosen) ? chosen : 'settings';

  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">Deputy</span>
        <nav role="tablist" aria-label="Sections">
          {(loaded ? visible : []).map((t) => (
            <button
              key={t.id}
              role="tab"
              aria-selected={tab === t.id}
              className={tab === t.id ? 'tab active' : 'tab'}
              onClick={() => setTab(t.id)}
            >
              {t.label}
            </button>
          ))}
        </nav>
        <div className="user-menu">
          {!keychain.available && (
            <span className="badge warn" title={keychain.reason}>
              Keychain unavailable
            </span>
          )}
          <span className="operator" aria-label="Signed in as">
            {principalLabel(operator)}
          </span>
          <button className="link" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <section className="content" role="tabpanel">
        {!loaded && <p className="muted">Loading…</p>}
        {loaded && tab === 'directory' && <Directory />}
        {loaded && tab === 'impersonation' && <ImpersonationSecurity />}
        {loaded && tab === 'flows' && <Flows />}
        {loaded && tab === 'audit' && <AuditLog />}
        {loaded && tab === 'access' && <AccessCheck />}
        {loaded && tab === 'settings' && <Settings keychain={keychain} />}
      </section>
    </div>
  );
}
