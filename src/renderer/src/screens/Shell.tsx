import { useCallback, useEffect, useState, type KeyboardEvent } from 'react';
import { api } from '../api';
import { AccessCheck } from '../tabs/AccessCheck';
import { Portals } from '../tabs/Portals';
import { DesignObjectsTab } from '../tabs/DesignObjectsTab';
import { AuditLog, EMPTY_AUDIT_FILTER, type AuditFilter } from '../tabs/AuditLog';
import { Directory } from '../tabs/Directory';
import { Flows } from '../tabs/Flows';
import { MyItems } from '../tabs/MyItems';
import { ImpersonationSecurity } from '../tabs/ImpersonationSecurity';
import { Sessions } from '../tabs/Sessions';
import { ServiceAccounts } from '../tabs/ServiceAccounts';
import { Settings } from '../tabs/Settings';
import { ImpersonateDialog } from '../components/ImpersonateDialog';
import { ImpersonationAnnouncer, ImpersonationBanner } from '../components/ImpersonationBanner';
import { usePermissions } from '../stores/permissions';
import { useSession } from '../stores/session';
import { principalLabel, type AppStatus, type ImpersonationSessionRow, type Operator } from '../../../shared/model';

const TABS = [
  { id: 'serviceAccounts', label: 'Service accounts', needs: 'directory.read' },
  { id: 'directory', label: 'Directory', needs: 'directory.read' },
  { id: 'impersonation', label: 'Impersonation security', needs: 'directory.read' },
  // Members see their flows' items; the list of all flows inside needs directory.read.
  { id: 'flows', label: 'Flows', needs: null },
  { id: 'myItems', label: 'My Items', needs: null },
  { id: 'sessions', label: 'Sessions', needs: null },
  { id: 'audit', label: 'Audit log', needs: 'audit.read' },
  { id: 'designObjects', label: 'Design objects', needs: 'directory.read' },
  { id: 'portals', label: 'Portals', needs: 'directory.read' },
  { id: 'access', label: 'Access check', needs: 'directory.read' },
  { id: 'settings', label: 'Settings', needs: null },
] as const;
type TabId = (typeof TABS)[number]['id'];

/** Arrow keys, Home and End move between tabs and open the one reached (automatic activation). */
function nextTab(key: string, at: number, count: number): number | null {
  if (key === 'ArrowRight' || key === 'ArrowDown') return (at + 1) % count;
  if (key === 'ArrowLeft' || key === 'ArrowUp') return (at - 1 + count) % count;
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  return null;
}

/** The audit records of one session, start to end (R-S7, R-S8). */
const sessionFilter = (s: ImpersonationSessionRow): AuditFilter => ({ ...EMPTY_AUDIT_FILTER, session: String(s.id) });

export function Shell({ status, operator }: { status: AppStatus; operator: Operator }) {
  const { signOut, refresh } = useSession();
  const { can, loaded, load } = usePermissions();
  const acting = status.impersonation;
  // What the window shows follows the effective user (R-S9): reload on every change of who that is.
  useEffect(() => void load(), [load, operator.username, acting?.id]);
  const visible = TABS.filter((t) => t.needs === null || can[t.needs]);
  const [chosen, setTab] = useState<TabId | null>(null);
  const [auditFilter, setAuditFilter] = useState<AuditFilter>(EMPTY_AUDIT_FILTER);
  const [dialog, setDialog] = useState(false);
  // Where one lands: an auditor (reads the log, changes nothing) on the Audit log; an administrator on the Directory;
  // someone neither is for (jdoe, or an administrator acting as jdoe) on their own items.
  const landing: TabId = can['audit.read'] && !can['directory.write'] ? 'audit' : 'directory';
  const isShown = (id: TabId | null) => visible.some((t) => t.id === id);
  const tab: TabId = chosen && isShown(chosen) ? chosen : isShown(landing) ? landing : 'myItems';
  const backToMe = useCallback(() => void api['impersonation.end']({}).then(() => refresh()), [refresh]);
  const expired = useCallback(() => void refresh(), [refresh]);
  const shown = loaded ? visible : [];
  const current = shown.find((t) => t.id === tab);

  // Roving tabindex: only the selected tab is in the Tab order; the arrow keys move among the others.
  function onTabKey(e: KeyboardEvent<HTMLElement>) {
    const at = shown.findIndex((t) => t.id === tab);
    const next = nextTab(e.key, at, shown.length);
    const target = next === null ? undefined : shown[next];
    if (!target) return;
    e.preventDefault();
    setTab(target.id);
    document.getElementById(`tab-${target.id}`)?.focus();
  }

  return (
    <div className="shell">
      <ImpersonationAnnouncer session={acting} />
      {acting && <ImpersonationBanner session={acting} onBack={backToMe} onExpired={expired} />}
      <header className="topbar">
        <span className="brand">Deputy</span>
        <nav role="tablist" aria-label="Sections" onKeyDown={onTabKey}>
          {shown.map((t) => (
            <button
              key={t.id}
              id={`tab-${t.id}`}
              role="tab"
              aria-selected={tab === t.id}
              aria-controls="tabpanel"
              tabIndex={tab === t.id ? 0 : -1}
              className={tab === t.id ? 'tab active' : 'tab'}
              onClick={() => setTab(t.id)}
            >
              {t.label}
            </button>
          ))}
        </nav>
        <div className="user-menu">
          {!status.keychain.available && (
            <span className="badge warn" title={status.keychain.reason}>
              Keychain unavailable
            </span>
          )}
          {/* While impersonating, both people: who is signed in, and as whom they act. */}
          <span className="operator" role="group" aria-label="Signed in as">
            {principalLabel(operator)}
            {acting && ` as ${principalLabel(acting.user)}`}
          </span>
          {/* Offered when main would let the operator impersonate somebody; main still decides each start. */}
          {status.mayImpersonate && (
            <button className="link" onClick={() => setDialog(true)}>
              Impersonate…
            </button>
          )}
          {acting && (
            <button className="link" onClick={backToMe}>
              Back to me
            </button>
          )}
          <button className="link" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main>
        {status.notices.map((n) => (
          <div key={n.id} className="notice wide" role="status">
            {n.message}
            <button className="link" onClick={() => void api['notices.dismiss']({ id: n.id }).then(() => refresh())}>
              Dismiss
            </button>
          </div>
        ))}
        <section className="content" role="tabpanel" id="tabpanel" aria-labelledby={current && `tab-${current.id}`}>
          <h1 className="sr-only">{current?.label ?? 'Deputy'}</h1>
          {!loaded && <p className="muted">Loading…</p>}
          {loaded && tab === 'serviceAccounts' && <ServiceAccounts keychain={status.keychain} />}
          {loaded && tab === 'directory' && <Directory />}
          {loaded && tab === 'impersonation' && <ImpersonationSecurity />}
          {loaded && tab === 'flows' && <Flows />}
          {loaded && tab === 'myItems' && <MyItems />}
          {loaded && tab === 'sessions' && (
            <Sessions
              onShowRecords={(s) => {
                setAuditFilter(sessionFilter(s));
                setTab('audit');
              }}
            />
          )}
          {loaded && tab === 'audit' && <AuditLog key={JSON.stringify(auditFilter)} initial={auditFilter} />}
          {loaded && tab === 'designObjects' && <DesignObjectsTab />}
          {loaded && tab === 'portals' && <Portals />}
          {loaded && tab === 'access' && <AccessCheck />}
          {loaded && tab === 'settings' && <Settings keychain={status.keychain} />}
        </section>
      </main>
      {dialog && (
        <ImpersonateDialog
          onClose={() => setDialog(false)}
          onStarted={() => {
            setDialog(false);
            void refresh();
          }}
        />
      )}
    </div>
  );
}
