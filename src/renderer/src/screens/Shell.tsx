import { useState } from 'react';
import { Directory } from '../tabs/Directory';
import { Settings } from '../tabs/Settings';
import { useSession } from '../stores/session';
import { principalLabel, type KeychainStatus, type Operator } from '../../../shared/model';

const TABS = [
  { id: 'directory', label: 'Directory' },
  { id: 'settings', label: 'Settings' },
] as const;
type TabId = (typeof TABS)[number]['id'];

export function Shell({ operator, keychain }: { operator: Operator; keychain: KeychainStatus }) {
  const [tab, setTab] = useState<TabId>('directory');
  const signOut = useSession((s) => s.signOut);
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">Deputy</span>
        <nav role="tablist" aria-label="Sections">
          {TABS.map((t) => (
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
        {tab === 'directory' ? <Directory /> : <Settings keychain={keychain} />}
      </section>
    </div>
  );
}
