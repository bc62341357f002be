// The Web API authentication view (R-A5): every portal's API key — its state, id, when it was created and last used.
// Never a secret: that is shown once, when the portal is published, and kept only in the OS keychain.
import type { PortalKey, PortalKeyState } from '../../../../shared/portals';

export const KEY_STATES: Record<PortalKeyState, { label: string; className: string }> = {
  unpublished: { label: 'not published', className: 'badge' },
  published: { label: 'published', className: 'badge status-active' },
  unavailable: { label: 'unavailable until republished', className: 'badge status-locked' },
};

const when = (t: string | null) => (t ? t.slice(0, 16).replace('T', ' ') : '—');

export function WebApiKeys({ keys }: { keys: PortalKey[] }) {
  return (
    <section className="card" aria-label="Web API authentication">
      <h3>Web API authentication</h3>
      <p className="muted">
        Programs send a portal&apos;s key as{' '}
        <span className="mono">Authorization: Bearer &lt;key id&gt;.&lt;secret&gt;</span> (docs/service-api.md).
      </p>
      <table aria-label="API keys">
        <thead>
          <tr>
            <th>Portal</th>
            <th>Key ID</th>
            <th>State</th>
            <th>Created</th>
            <th>Last used</th>
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr key={k.portal}>
              <td>{k.portal}</td>
              <td className="mono">{k.keyId ?? '—'}</td>
              <td>
                <span className={KEY_STATES[k.state].className}>{KEY_STATES[k.state].label}</span>
                {k.retiredKeyId && (
                  <div className="muted">
                    Rotated key {k.retiredKeyId}&apos;s secret is still in the OS keychain (the rotation was cut short);
                    it authenticates nothing and is removed at the next publish or start.
                  </div>
                )}
              </td>
              <td>{when(k.createdAt)}</td>
              <td>{when(k.lastUsedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
