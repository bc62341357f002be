// Portals (issue 20): each portal's findings with their one-click fixes, its API key, and new portals; the design
// objects they reach have a tab of their own (DesignObjectsTab.tsx). Changes need serviceAccount.update (the account
// administrators); reading, directory.read.
import { useCallback, useState } from 'react';
import { api } from '../api';
import { ErrorNote } from '../components/Form';
import { NewPortal } from '../components/portals/NewPortal';
import { PortalCard } from '../components/portals/PortalCard';
import { WebApiKeys } from '../components/portals/WebApiKeys';
import { SecretOnce } from '../components/SecretOnce';
import { usePermissions } from '../stores/permissions';
import { useReloadingAct } from '../components/useReloadingAct';
import type { PortalKey, PortalReport, PublishedPortalKey } from '../../../shared/portals';

export function Portals() {
  const canEdit = usePermissions((s) => s.can['serviceAccount.update'] === true);
  const [reports, setReports] = useState<PortalReport[]>([]);
  const [keys, setKeys] = useState<PortalKey[]>([]);
  const [published, setPublished] = useState<PublishedPortalKey | null>(null);
  const { error, reload, act } = useReloadingAct(
    useCallback(async () => {
      const [p, k] = await Promise.all([api['portals.list']({}), api['portals.keys']({})]);
      if (p.ok) setReports(p.value);
      if (k.ok) setKeys(k.value);
      return !p.ok ? p.error.message : !k.ok ? k.error.message : null;
    }, []),
  );

  return (
    <section className="portals" aria-label="Portals">
      <h2>Portals</h2>
      <ErrorNote message={error} />
      {reports.length === 0 && <p className="muted">No portals yet.</p>}
      {reports.map((r) => (
        <PortalCard
          key={r.portal.name}
          report={r}
          apiKey={keys.find((k) => k.portal === r.portal.name)}
          canEdit={canEdit}
          act={act}
          onPublished={(k) => {
            setPublished(k);
            void reload();
          }}
        />
      ))}
      <WebApiKeys keys={keys} />
      {published && (
        <SecretOnce
          created={{ id: published.keyId, secret: published.secret }}
          title={`API key of ${published.portal}`}
          idLabel="Key ID"
          onDone={() => setPublished(null)}
        />
      )}
      {canEdit && <NewPortal onDone={(r) => (r.ok ? reload() : Promise.resolve())} />}
    </section>
  );
}
