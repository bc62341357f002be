// "Send a test record": one RFC 5424 message to a syslog collector, and what can honestly be known about it. Over TCP:
// the connection was accepted and the record written to it (the collector's own storage is its business). Over UDP:
// the datagram left; UDP has no acknowledgement, so arrival cannot be known — but a host that answers "nothing listens
// on that port" (ICMP port unreachable, seen on a connected socket) is a known failure. The test is recorded in the
// Main Log with its outcome.
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { hostname } from 'node:os';
import type { AppContext } from '../kernel/context';
import type { Caller } from '../kernel/caller';
import type { ForwardTarget, ForwardTest } from '../../shared/model';

/** Long enough for a collector on the network, short enough for a person waiting at the button. */
const TIMEOUT_MS = 5_000;
/** How long a UDP send waits for the host to answer "port unreachable". */
const UDP_ANSWER_MS = 500;
/** RFC 5424 facility 13 (log audit), severity 6 (informational). */
const PRI = 13 * 8 + 6;

const where = (t: ForwardTarget) => `${t.protocol}://${t.host}:${t.port}`;

export function testMessage(id: string, by: string, at: Date): string {
  const payload = JSON.stringify({ test: true, id, by, message: 'Deputy syslog test record' });
  return `<${PRI}>1 ${at.toISOString()} ${hostname()} deputy ${process.pid} test [deputy@32473 test="${id}"] ${payload}`;
}

function viaTcp(t: ForwardTarget, message: string): Promise<void> {
  return new Promise((ok, fail) => {
    const socket = connect({ host: t.host, port: t.port });
    socket.setTimeout(TIMEOUT_MS, () => socket.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    socket.once('error', fail);
    socket.once('connect', () => {
      // Octet-counted framing (RFC 6587), as the forwarder sends.
      socket.write(`${Buffer.byteLength(message)} ${message}`, (err) => {
        if (err) return fail(err);
        socket.end(() => ok());
      });
    });
  });
}

function viaUdp(t: ForwardTarget, message: string): Promise<void> {
  return new Promise((ok, fail) => {
    const socket = createSocket(t.host.includes(':') ? 'udp6' : 'udp4');
    let settled = false;
    const done = (err?: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.close();
      if (err) fail(err);
      else ok();
    };
    const timer = setTimeout(() => done(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
    // Connected, so that the host's "port unreachable" comes back to this socket as ECONNREFUSED.
    socket.on('error', done);
    try {
      socket.connect(t.port, t.host, (err?: Error) => {
        if (err) return done(err);
        socket.send(message, (sent) => (sent ? done(sent) : void setTimeout(() => done(), UDP_ANSWER_MS)));
      });
    } catch (err) {
      done(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

function why(err: unknown, t: ForwardTarget): string {
  const code = (err as { code?: string }).code;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `${t.host} could not be resolved`;
  if (code === 'EINVAL') return `${JSON.stringify(t.host)} is not a host name or address`;
  if (code === 'ECONNREFUSED')
    return t.protocol === 'udp'
      ? `${t.host} answered that nothing listens on UDP port ${t.port}`
      : `${t.host} refused the connection on TCP port ${t.port} (nothing listens there)`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `${t.host} cannot be reached from here`;
  return err instanceof Error ? err.message : String(err);
}

export async function sendTestRecord(app: AppContext, caller: Caller, target: ForwardTarget): Promise<ForwardTest> {
  const id = randomBytes(6).toString('hex');
  const message = testMessage(id, caller.username ?? 'unknown', app.clock());
  let result: ForwardTest;
  try {
    await (target.protocol === 'tcp' ? viaTcp(target, message) : viaUdp(target, message));
    result =
      target.protocol === 'tcp'
        ? {
            target,
            id,
            outcome: 'written',
            message: `Connected to ${where(target)} and wrote test record ${id}: the collector accepted it. Whether the collector kept it, only the collector shows — look for "${id}" there.`,
          }
        : {
            target,
            id,
            outcome: 'sent',
            message: `Sent test record ${id} to ${where(target)}. UDP has no acknowledgement, so whether it arrived cannot be known from here — look for "${id}" at the collector (TCP can confirm the collector accepted it).`,
          };
  } catch (err) {
    result = {
      target,
      id,
      outcome: 'failed',
      message: `The test record did not reach ${where(target)}: ${why(err, target)}.`,
    };
  }
  app.db.transaction(() => {
    app.audit.append({
      operator: caller.username,
      action: 'forwarding.test',
      target: 'syslog forwarding',
      outcome: result.outcome === 'failed' ? 'error' : 'ok',
      message: `Syslog test record ${id} to ${where(target)}: ${result.message}`,
      details: { target, id, outcome: result.outcome },
    });
  })();
  return result;
}
