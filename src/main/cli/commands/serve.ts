import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors';
import { startWebServer } from '../../web/server';
import type { Core } from '../../core';

const rendererDir = () => join(dirname(fileURLToPath(import.meta.url)), '../renderer');

/** Serves until SIGINT or SIGTERM; the process stays alive on the open server. */
export async function serve(core: Core, port: string | undefined): Promise<void> {
  const portNumber = port === undefined ? 0 : Number(port);
  if (!Number.isInteger(portNumber) || portNumber < 0 || portNumber > 65535) {
    throw new UsageError(`--port must be a whole number from 0 to 65535, not ${port}.`);
  }
  const server = await startWebServer({ call: core.call, rendererDir: rendererDir(), port: portNumber });
  console.log(`Deputy console: ${server.url}`);
  const stop = () => {
    void server
      .close()
      .then(() => core.close())
      .then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
