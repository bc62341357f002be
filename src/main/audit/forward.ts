// Forwards the audit log to a syslog collector (RFC 5424, JSON payload) over UDP or TCP. The log itself
// is the durable outbox: a cursor (the last forwarded seq) moves only after a record was handed over,
// so nothing is lost while the collector is down — it is sent when the collector is back.
import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { toRecord } from './export';
import { deleteSetting, readSetting, settingWriter, writeSetting } from '../store/settings';
import type { AuditRow } from './chain';
import type { AppContext } from '../kernel/context';
import type { Forwarder } from '../kernel/ports';
import type { ForwardTarget } from '../../shared/model';

const CURSOR = 'forward.last_seq';
const TARGET = 'forward.target';
const BATCH = 500;
/** RFC 5424 facility 13, "log audit". */
const FACILITY = 13;
const SEVERITY = { ok: 6, refused: 4, error: 3 } as const;

export function readTarget(app: AppContext): ForwardTarget | null {
  const raw = readSetting(app.db, TARGET);
  return raw ? (JSON.parse(raw) as ForwardTarget) : null;
}

export function writeTarget(app: AppContext, target: ForwardTarget | null): void {
  if (!target) deleteSetting(app.db, TARGET);
  else writeSetting(app.db, TARGET, JSON.stringify(target));
}

export function forwardedUpTo(app: AppContext): number {
  return Number(readSetting(app.db, CURSOR) ?? 0);
}

/** Records after `upTo` (the cursor): what the collector has yet to receive. */
export function countAfter(app: AppContext, upTo: number): number {
  return app.db.prepare(`SELECT count(*) FROM audit_log WHERE seq > ?`).pluck().get(upTo) as number;
}

/** SD-PARAM values escape `"`, `\` and `]` (RFC 5424 §6.3.3). */
const sd = (v: string) => v.replace(/["\\\]]/g, (c) => `\\${c}`);

/**
 * The longest message sent: rsyslog takes 8 KiB whole by default (its maxMessageSize, header included), and a UDP
 * datagram over 64 KiB cannot be sent at all. A longer record (an item with large fields, a flow's deletion snapshot)
 * used to fail its send again and again, and stop forwarding at that record for good.
 */
export const MAX_SYSLOG_BYTES = 8192;
/** What a record too long to send keeps of its message. */
const SHORT_MESSAGE = 1000;

export function formatSyslog(r: AuditRow, host = hostname()): string {
  const pri = FACILITY * 8 + (SEVERITY[r.outcome as keyof typeof SEVERITY] ?? 6);
  const header = `<${pri}>1 ${r.ts} ${host} deputy ${process.pid} ${r.log} [deputy@32473 seq="${r.seq}" hash="${sd(r.hash)}"] `;
  const whole = `${header}${JSON.stringify(toRecord(r))}`;
  if (Buffer.byteLength(whole) <= MAX_SYSLOG_BYTES) return whole;
  // Sent without its details, its message cut, and saying so: the collector still learns what happened, when, by whom,
  // and the seq and hash that name the whole record in Deputy's log and its exports.
  const message = r.message.length > SHORT_MESSAGE ? `${r.message.slice(0, SHORT_MESSAGE)}…` : r.message;
  const details = {
    omitted: 'too long for syslog: the whole record is in the Deputy log',
    bytes: Buffer.byteLength(r.details),
  };
  return `${header}${JSON.stringify({ ...toRecord(r), message, details })}`;
}

interface Sender {
  send(message: string): Promise<void>;
  close(): void;
}

function tcpSender(t: ForwardTarget): Promise<Sender> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: t.host, port: t.port }, () => {
      socket.off('error', reject);
      let broken: Error | null = null;
      socket.on('error', (err) => (broken = err));
      resolve({
        // Octet-counted framing (RFC 6587), so messages may hold newlines.
        send: (m) =>
          new Promise((ok, fail) => {
            if (broken) return fail(broken);
            socket.write(`${Buffer.byteLength(m)} ${m}`, (err) => (err ? fail(err) : ok()));
          }),
        close: () => socket.end(),
      });
    });
    socket.once('error', reject);
    socket.setTimeout(10_000, () => socket.destroy(new Error('syslog collector timed out')));
  });
}

function udpSender(t: ForwardTarget): Promise<Sender> {
  const socket = createSocket(t.host.includes(':') ? 'udp6' : 'udp4');
  return Promise.resolve({
    send: (m) => new Promise((ok, fail) => socket.send(m, t.port, t.host, (err) => (err ? fail(err) : ok()))),
    close: () => socket.close(),
  });
}

export function createForwarder(app: AppContext, intervalMs = 2000): Forwarder {
  const pending = app.db.prepare(`SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?`);
  const setCursor = settingWriter(app.db, CURSOR);
  let sender: { target: string; s: Sender } | null = null;
  let running: Promise<number> | null = null;

  async function drainOnce(): Promise<number> {
    const target = readTarget(app);
    if (!target) return 0;
    const key = JSON.stringify(target);
    if (sender?.target !== key) {
      sender?.s.close();
      sender = null;
    }
    let sent = 0;
    for (;;) {
      const rows = pending.all(forwardedUpTo(app), BATCH) as AuditRow[];
      if (rows.length === 0) return sent;
      try {
        sender ??= { target: key, s: await (target.protocol === 'tcp' ? tcpSender(target) : udpSender(target)) };
        for (const r of rows) {
          await sender.s.send(formatSyslog(r));
          setCursor(String(r.seq)); // moves only after the record was handed over
          sent++;
        }
      } catch (err) {
        sender?.s.close();
        sender = null;
        throw err;
      }
    }
  }

  // Kept for the console (forwarding.get): the timer's retries have no one else to tell, and records waiting in the
  // log with no reason shown look like forwarding that works.
  let failure: { at: string; message: string } | null = null;
  const attempt = async (): Promise<number> => {
    try {
      const sent = await drainOnce();
      failure = null;
      return sent;
    } catch (err) {
      failure = { at: app.clock().toISOString(), message: err instanceof Error ? err.message : String(err) };
      throw err;
    }
  };
  const drain = () => (running ??= attempt().finally(() => (running = null)));
  const timer = setInterval(() => void drain().catch(() => undefined), intervalMs);
  timer.unref();
  return {
    drain,
    lastFailure: () => failure,
    stop() {
      clearInterval(timer);
      sender?.s.close();
      sender = null;
    },
  };
}
