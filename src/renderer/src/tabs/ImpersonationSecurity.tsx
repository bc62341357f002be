// Account security › Impersonation security: the three shared resources × service accounts (R-K1, R-K2).
import { useEffect, useState } from 'react';
import { api } from '../api';
import { ErrorNote } from '../components/Form';
import { useConfirm } from '../components/ConfirmDialog';
import { usePermissions } from '../stores/permissions';
import { SHARED_RESOURCES, type SharedResource, type SharedResourceGrants } from '../../../shared/model';
import { Rule } from '../components/Rule';

const TITLES: Record<SharedResource, string> = {
  global_my_items: 'Global my items',
  user_group_management: 'User and group management',
  all_flows_integrations: 'All flows and integrations',
};

/** What a service account can no longer do once a shared resource is revoked, and the rule that says so. */
const LOSES: Record<SharedResource, { text: string; rule: string }> = {
  global_my_items: { text: "read users' Created by me and Assigned to me items", rule: 'R-K8' },
  user_group_management: { text: 'change users and groups while impersonating an administrator', rule: 'R-K7' },
  all_flows_integrations: {
    text: 'list and change every process, board, dataset, integration, app, chat and space',
    rule: 'R-K9',
  },
};

export function ImpersonationSecurity() {
  const [rows, setRows] = useState<SharedResourceGrants[]>([]);
  const [error, setError] = useState<string | null>(null);
  const canGrant = usePermissions((s) => s.can['sharedResource.grant'] === true);
  const { ask, dialog } = useConfirm();

  useEffect(() => {
    void api['sharedResources.list']({}).then((r) => (r.ok ? setRows(r.value) : setError(r.error.message)));
  }, []);

  /** Granting takes effect on the click; revoking asks first, naming what the account loses. */
  function change(serviceAccount: string, resource: SharedResource, enabled: boolean) {
    if (enabled) return void toggle(serviceAccount, resource, true);
    ask({
      title: `Revoke ${TITLES[resource]} from ${serviceAccount}?`,
      body: (
        <p>
          {serviceAccount} can no longer {LOSES[resource].text}. Programs that rely on it are refused until a Super
          Admin or IAM Admin grants it again.
          <Rule id={LOSES[resource].rule} />
        </p>
      ),
      confirm: 'Revoke',
      run: () => toggle(serviceAccount, resource, false),
    });
  }

  async function toggle(serviceAccount: string, resource: SharedResource, enabled: boolean) {
    const r = await api['sharedResources.set']({ serviceAccount, resource, enabled });
    if (r.ok) {
      setRows(r.value);
      setError(null);
    } else setError(r.error.message);
  }

  return (
    <div className="impersonation-security">
      <p className="muted">
        Which service accounts may impersonate users through each shared resource.
        {!canGrant && (
          <>
            {' Only a Super Admin or IAM Admin changes these.'}
            <Rule id="R-K1" />
          </>
        )}
      </p>
      <ErrorNote message={error} />
      <table aria-label="Shared resources">
        <thead>
          <tr>
            <th>Service account</th>
            {SHARED_RESOURCES.map((r) => (
              <th key={r}>{TITLES[r]}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.serviceAccount}>
              <td>
                <span className="mono">{row.serviceAccount}</span>{' '}
                <span className="badge kind-service">service account</span>
                {!row.active && <span className="badge status-inactive">inactive</span>}
              </td>
              {SHARED_RESOURCES.map((r) => (
                <td key={r}>
                  <input
                    type="checkbox"
                    aria-label={`${row.serviceAccount}: ${TITLES[r]}`}
                    checked={row.resources.includes(r)}
                    disabled={!canGrant}
                    onChange={(e) => change(row.serviceAccount, r, e.target.checked)}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {dialog}
    </div>
  );
}
