// Issue 23: Syslog settings say whether a collector can be reached before it is saved ("Send a test record"), and
// only what can be known: over TCP that it accepted the record, a closed port that nothing listens.
import { createServer, type Server } from 'node:net';
import { expect, openWithDemo, shot, test } from './fixtures';
import { ShellPage } from './pages/shell-page';

/** A port nothing listens on: one the system just gave out and took back. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const { port } = s.address() as { port: number };
  await new Promise<void>((ok) => s.close(() => ok()));
  return port;
}

test('a test record: refused by a closed port, accepted by a listening collector, nothing saved', async ({
  page,
  console: deputy,
}, testInfo) => {
  // A TCP collector of our own that keeps what it receives.
  let received = '';
  const collector: Server = createServer((socket) => socket.on('data', (d) => (received += d.toString())));
  await new Promise<void>((ok) => collector.listen(0, '127.0.0.1', ok));
  const port = (collector.address() as { port: number }).port;
  try {
    await openWithDemo(page, deputy);
    const shell = new ShellPage(page);
    await shell.open('Settings');
    const syslog = shell.panel.getByRole('region', { name: 'Syslog forwarding' });
    await syslog.getByLabel('Protocol').selectOption('tcp');
    await syslog.getByLabel('Host').fill('127.0.0.1');
    await syslog.getByLabel('Port').fill(String(await closedPort()));
    await syslog.getByRole('button', { name: 'Send a test record' }).click();
    const outcome = syslog.getByRole('status', { name: 'Test record' });
    await expect(outcome).toContainText('refused the connection');

    await syslog.getByLabel('Port').fill(String(port));
    await syslog.getByRole('button', { name: 'Send a test record' }).click();
    await expect(outcome).toContainText('the collector accepted it');
    const id = /test record ([0-9a-f]{12})/.exec((await outcome.textContent()) ?? '')?.[1];
    expect(id).toBeDefined();
    await expect.poll(() => received).toContain(`test="${id}"`);
    await shot(page, testInfo, 'syslog-test-record');
    // Testing is not saving: forwarding is still off.
    await page.reload();
    await shell.open('Settings');
    await expect(syslog.getByLabel('Protocol')).toHaveValue('off');
  } finally {
    collector.close();
  }
});
