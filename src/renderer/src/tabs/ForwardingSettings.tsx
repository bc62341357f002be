// Syslog forwarding: where the audit log is sent, and how much is waiting (kept until delivered).
import { useEffect, useState } from 'react';
import { api } from '../api';
import { ErrorNote, FieldError } from '../components/Form';
import type { ApiError } from '../../../shared/result';
import type { ForwardTest, ForwardingStatus } from '../../../shared/model';

export function ForwardingSettings({ canEdit }: { canEdit: boolean }) {
  const [status, setStatus] = useState<ForwardingStatus | null>(null);
  const [protocol, setProtocol] = useState<'off' | 'udp' | 'tcp'>('off');
  const [host, setHost] = useState('127.0.0.1');
  const [port, setPort] = useState('514');
  const [error, setError] = useState<ApiError | null>(null);
  const [test, setTest] = useState<ForwardTest | null>(null);
  const [testing, setTesting] = useState(false);

  const show = (s: ForwardingStatus) => {
    setStatus(s);
    setProtocol(s.target?.protocol ?? 'off');
    if (s.target) {
      setHost(s.target.host);
      setPort(String(s.target.port));
    }
  };
  useEffect(() => {
    void api['forwarding.get']({}).then((r) => (r.ok ? show(r.value) : setError(r.error)));
  }, []);

  async function save() {
    const target = protocol === 'off' ? null : { protocol, host: host.trim(), port: Number(port) };
    const r = await api['forwarding.set']({ target });
    if (r.ok) show(r.value);
    setError(r.ok ? null : r.error);
  }

  // The collector as the form has it now, saved or not: test before saving.
  async function sendTest() {
    if (protocol === 'off') return;
    setTesting(true);
    setTest(null);
    const r = await api['forwarding.test']({ target: { protocol, host: host.trim(), port: Number(port) } });
    setTesting(false);
    if (r.ok) setTest(r.value);
    setError(r.ok ? null : r.error);
  }

  if (!status && !error) return null;
  return (
    <section className="card" aria-label="Syslog forwarding">
      <h2>Syslog forwarding</h2>
      <p className="muted">
        RFC 5424 with a JSON payload. TCP keeps records until the collector has them; UDP cannot tell whether they
        arrived. A test record says what can be known: over TCP, that the collector accepted it; over UDP, only that it
        was sent (or that nothing listens there).
      </p>
      <div className="grid2">
        <label className="field">
          <span>Protocol</span>
          <select
            aria-label="Protocol"
            value={protocol}
            disabled={!canEdit}
            onChange={(e) => setProtocol(e.target.value as typeof protocol)}
          >
            <option value="off">off</option>
            <option value="tcp">TCP</option>
            <option value="udp">UDP</option>
          </select>
        </label>
        <label className="field">
          <span>Collector host:port</span>
          <div className="row">
            <input
              aria-label="Host"
              value={host}
              disabled={!canEdit || protocol === 'off'}
              aria-invalid={error?.field === 'target.host' || undefined}
              onChange={(e) => setHost(e.target.value)}
            />
            <input
              aria-label="Port"
              type="number"
              value={port}
              disabled={!canEdit || protocol === 'off'}
              aria-invalid={error?.field === 'target.port' || undefined}
              onChange={(e) => setPort(e.target.value)}
            />
          </div>
          <FieldError name="target.host" error={error} />
          <FieldError name="target.port" error={error} />
        </label>
      </div>
      {status?.target && (
        <p role="status">
          Forwarded up to record {status.forwardedUpTo}; {status.pending} waiting.
        </p>
      )}
      {status?.lastFailure && (
        <p role="alert" className="error">
          Forwarding is failing: {status.lastFailure.message} (last tried {status.lastFailure.at}). The records wait in
          the log and go once the collector takes them.
        </p>
      )}
      {test && (
        <p role="status" aria-label="Test record" className={test.outcome === 'failed' ? 'error' : 'notice'}>
          {test.message}
        </p>
      )}
      {!error?.field?.startsWith('target.') && <ErrorNote error={error} />}
      {canEdit && (
        <div className="row">
          <button className="primary" onClick={() => void save()}>
            Save
          </button>
          <button disabled={protocol === 'off' || testing} onClick={() => void sendTest()}>
            {testing ? 'Sending…' : 'Send a test record'}
          </button>
        </div>
      )}
    </section>
  );
}
