// Syslog forwarding against a real rsyslog from Debian, listening on 127.0.0.1 only.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../src/main/core';
import { memoryVault } from '../../src/main/vault/memoryVault';
import { DEMO_PASSWORD, tempDir } from './helpers';
import type { ForwardTest } from '../../src/shared/model';
import { MAX_SYSLOG_BYTES } from '../../src/main/audit/forward';

const RSYSLOGD = '/usr/sbin/rsyslogd';
const daemons: ChildProcess[] = [];
afterEach(() => {
  for (const d of daemons.splice(0)) d.kill('SIGKILL');
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

/** A collector that writes each raw message on its own line. */
async function startRsyslog(dir: string, port: number): Promise<{ out: string; stop(): void }> {
  const out = join(dir, 'received.log');
  const conf = join(dir, 'rsyslog.conf');
  writeFileSync(
    conf,
    `global(workDirectory="${dir}")
module(load="imudp")
module(load="imtcp")
input(type="imudp" address="127.0.0.1" port="${port}")
input(type="imtcp" address="127.0.0.1" port="${port}")
template(name="raw" type="string" string="%rawmsg%\\n")
action(type="omfile" file="${out}" template="raw")
`,
  );
  const d = spawn(RSYSLOGD, ['-n', '-f', conf, '-i', join(dir, `pid-${Date.now()}`)], { stdio: 'ignore' });
  daemons.push(d);
  // Ready when the TCP port answers.
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((ok) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        ok(true);
      });
      s.once('error', () => ok(false));
    });
    if (up) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { out, stop: () => d.kill('SIGKILL') };
}

const received = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);

async function until(check: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}

/** The demo, forwarding over UDP to a real rsyslog, everything so far handed over. */
async function demoForwardingOverUdp() {
  const dir = tempDir();
  const port = await freePort();
  const collector = await startRsyslog(dir, port);
  const core = await createCore({ dbPath: join(dir, 'd.db'), vault: memoryVault, forward: true });
  await core.call('w', 'setup.loadDemo', { password: DEMO_PASSWORD });
  await core.call('w', 'forwarding.set', { target: { protocol: 'udp', host: '127.0.0.1', port } });
  await core.app.forwarder!.drain();
  return { core, collector, port };
}

describe('syslog forwarding to a real rsyslog', () => {
  it('sends every record as RFC 5424 with a JSON payload over TCP, and loses nothing while the collector is down', async () => {
    const dir = tempDir();
    const port = await freePort();
    let collector = await startRsyslog(dir, port);
    const core = await createCore({ dbPath: join(dir, 'd.db'), vault: memoryVault, forward: true });
    try {
      await core.call('w', 'setup.loadDemo', { password: DEMO_PASSWORD });
      const set = await core.call('w', 'forwarding.set', { target: { protocol: 'tcp', host: '127.0.0.1', port } });
      expect(set.ok).toBe(true);
      await core.app.forwarder!.drain();
      const total = () => core.app.db.prepare(`SELECT count(*) FROM audit_log`).pluck().get() as number;
      await until(() => received(collector.out).length === total());
      // The demo's first record is the History of its first item (jdoe's Purchase Request); setup.demo follows its items.
      const first = received(collector.out)[0]!;
      expect(first).toMatch(
        /^<110>1 \d{4}-\d\d-\d\dT[\d:.]+Z \S+ deputy \d+ history \[deputy@32473 seq="1" hash="[0-9a-f]{64}"\] \{/,
      );
      expect(JSON.parse(first.slice(first.indexOf('] ') + 2))).toMatchObject({
        seq: 1,
        log: 'history',
        action: 'item.create',
      });
      const demo = received(collector.out).find((l) => l.includes('"action":"setup.demo"'))!;
      expect(demo).toMatch(
        /^<110>1 \d{4}-\d\d-\d\dT[\d:.]+Z \S+ deputy \d+ main \[deputy@32473 seq="\d+" hash="[0-9a-f]{64}"\] \{/,
      );
      expect(JSON.parse(demo.slice(demo.indexOf('] ') + 2))).toMatchObject({ log: 'main', action: 'setup.demo' });

      collector.stop(); // the collector goes down…
      await new Promise((r) => setTimeout(r, 200));
      for (let i = 0; i < 5; i++) await core.call('w', 'settings.update', { idleLockMinutes: 20 + i });
      await expect(core.app.forwarder!.drain()).rejects.toThrow();
      const waiting = await core.call('w', 'forwarding.get', {});
      expect(waiting).toMatchObject({ ok: true, value: { pending: expect.any(Number) } });
      expect((waiting as { value: { pending: number } }).value.pending).toBeGreaterThanOrEqual(5);
      // Why it waits, for the console: the timer's retries have no one else to tell.
      expect(waiting).toMatchObject({ value: { lastFailure: { message: expect.stringMatching(/\S/) } } });

      collector = await startRsyslog(dir, port); // …and comes back: the outbox empties
      await core.app.forwarder!.drain();
      await until(() => received(collector.out).length >= total());
      expect(await core.call('w', 'forwarding.get', {})).toMatchObject({ value: { lastFailure: null } });
      const seqs = received(collector.out).map((l) => Number(/seq="(\d+)"/.exec(l)?.[1]));
      expect(new Set(seqs).size).toBe(total());
      expect(Math.max(...seqs)).toBe(total());
    } finally {
      await core.close();
    }
  });

  it('a record too long for a datagram goes without its details, and the records after it still go', async () => {
    const { core, collector } = await demoForwardingOverUdp();
    try {
      // As an item with large fields writes it: ~100 KB, over UDP's 64 KB and rsyslog's 8 KB.
      const big = core.app.audit.append({
        log: 'history',
        operator: 'alice',
        action: 'item.update',
        target: 'item:1',
        message: `Updated item 1: ${'x'.repeat(20_000)}`,
        details: { changes: [{ field: 'notes', old: null, new: 'y'.repeat(80_000) }] },
      });
      await core.call('w', 'settings.update', { idleLockMinutes: 21 });
      await core.app.forwarder!.drain();
      await until(() => received(collector.out).some((l) => l.includes('"action":"settings.update"')));
      const line = received(collector.out).find((l) => l.includes(`seq="${big}"`))!;
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(MAX_SYSLOG_BYTES);
      const record = JSON.parse(line.slice(line.indexOf('] ') + 2)) as {
        message: string;
        details: object;
        hash: string;
      };
      expect(record.message).toMatch(/^Updated item 1: x+…$/);
      expect(record.details).toMatchObject({
        omitted: expect.stringContaining('too long for syslog'),
        bytes: expect.any(Number),
      });
      expect((await core.call('w', 'forwarding.get', {})) as { value: { pending: number } }).toMatchObject({
        value: { pending: 0 },
      });
    } finally {
      await core.close();
    }
  });

  it('sends over UDP too, and records who changed the target', async () => {
    const { core, collector, port } = await demoForwardingOverUdp();
    try {
      await until(() => received(collector.out).some((l) => l.includes('forwarding.set')));
      expect(received(collector.out).find((l) => l.includes('forwarding.set'))).toContain(
        `Syslog forwarding: off → udp://127.0.0.1:${port}`,
      );
    } finally {
      await core.close();
    }
  });
});

describe('Send a test record: what can be known, per transport', () => {
  it('TCP: written and accepted; UDP: sent, arrival unknown; both arrive at a real rsyslog, and each is in the Main Log', async () => {
    const dir = tempDir();
    const port = await freePort();
    const collector = await startRsyslog(dir, port);
    // Not forwarding: a target is tested before it is saved.
    const core = await createCore({ dbPath: join(dir, 'd.db'), vault: memoryVault });
    try {
      await core.call('w', 'setup.loadDemo', { password: DEMO_PASSWORD });
      const tcp = await core.call('w', 'forwarding.test', { target: { protocol: 'tcp', host: '127.0.0.1', port } });
      expect(tcp).toMatchObject({ ok: true, value: { outcome: 'written' } });
      const udp = await core.call('w', 'forwarding.test', { target: { protocol: 'udp', host: '127.0.0.1', port } });
      expect(udp).toMatchObject({ ok: true, value: { outcome: 'sent' } });
      if (!tcp.ok || !udp.ok) throw new Error('unreachable');
      const [tcpTest, udpTest] = [tcp.value, udp.value] as ForwardTest[];
      expect(tcpTest!.message).toContain('the collector accepted it');
      expect(udpTest!.message).toContain('cannot be known');
      for (const { id } of [tcpTest!, udpTest!]) {
        await until(() => received(collector.out).some((l) => l.includes(id)));
        expect(received(collector.out).find((l) => l.includes(id))).toMatch(
          new RegExp(`^<110>1 \\S+ \\S+ deputy \\d+ test \\[deputy@32473 test="${id}"\\] \\{"test":true`),
        );
      }
      const tests = core.app.db
        .prepare(`SELECT operator, outcome, message FROM audit_log WHERE action = 'forwarding.test' ORDER BY seq`)
        .all();
      expect(tests).toMatchObject([
        { operator: 'alice', outcome: 'ok', message: expect.stringContaining(`tcp://127.0.0.1:${port}`) },
        { operator: 'alice', outcome: 'ok', message: expect.stringContaining(`udp://127.0.0.1:${port}`) },
      ]);
      // Nothing was saved: testing is not configuring.
      expect(await core.call('w', 'forwarding.get', {})).toMatchObject({ ok: true, value: { target: null } });
    } finally {
      await core.close();
    }
  });

  it('a collector that is not there: TCP refused, UDP answered "nothing listens", an unknown host; each says why', async () => {
    const dir = tempDir();
    const port = await freePort(); // nothing listens on it
    const core = await createCore({ dbPath: join(dir, 'd.db'), vault: memoryVault });
    try {
      await core.call('w', 'setup.loadDemo', { password: DEMO_PASSWORD });
      const test = (protocol: 'tcp' | 'udp', host: string) =>
        core.call('w', 'forwarding.test', { target: { protocol, host, port } });
      expect(await test('tcp', '127.0.0.1')).toMatchObject({
        ok: true,
        value: { outcome: 'failed', message: expect.stringContaining('refused the connection on TCP port') },
      });
      expect(await test('udp', '127.0.0.1')).toMatchObject({
        ok: true,
        value: { outcome: 'failed', message: expect.stringContaining(`nothing listens on UDP port ${port}`) },
      });
      expect(await test('tcp', 'collector.invalid')).toMatchObject({
        ok: true,
        value: { outcome: 'failed', message: expect.stringContaining('collector.invalid could not be resolved') },
      });
      const outcomes = core.app.db
        .prepare(`SELECT outcome FROM audit_log WHERE action = 'forwarding.test'`)
        .pluck()
        .all();
      expect(outcomes).toEqual(['error', 'error', 'error']);
    } finally {
      await core.close();
    }
  });
});

it('rsyslogd is installed by the test setup (scripts/setup.mjs)', () => {
  expect(spawnSync(RSYSLOGD, ['-v']).status).toBe(0);
});
