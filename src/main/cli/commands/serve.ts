import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors';
import { startWebServer } from '../../web/server';
import { checkListenAddress, startServiceApi, type ServiceApi } from '../../web/serviceApi';
import type { Core } from '../../core';

const rendererDir = () => join(dirname(fileURLToPath(import.meta.url)), '../renderer');

export interface ServeOptions {
  port?: string | undefined;
  'service-port'?: string | undefined;
  'service-host'?: string | undefined;
  'tls-cert'?: string | undefined;
  'tls-key'?: string | undefined;
}

function portOf(option: string, value: string | undefined): number {
  const n = value === undefined ? 0 : Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new UsageError(`--${option} must be a whole number from 0 to 65535, not ${value}.`);
  }
  return n;
}

function readPem(option: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new UsageError(`--${option} ${path} cannot be read: ${(err as Error).message}`);
  }
}

/** The service API's TLS material, when both files are named; one without the other is a mistake. */
function tlsOf(options: ServeOptions): { cert: Buffer; key: Buffer } | undefined {
  const cert = options['tls-cert'];
  const key = options['tls-key'];
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined) throw new UsageError('Give both --tls-cert and --tls-key, or neither.');
  return { cert: readPem('tls-cert', cert), key: readPem('tls-key', key) };
}

/**
 * Serves the console in browser mode and, with --service-port, the service API for programs on a port of its
 * own, until SIGINT or SIGTERM; the process stays alive on the open servers.
 */
export async function serve(core: Core, options: ServeOptions): Promise<void> {
  const port = portOf('port', options.port);
  let service: ServiceApi | undefined;
  if (options['service-port'] !== undefined) {
    const host = options['service-host'] ?? '127.0.0.1';
    const tls = tlsOf(options);
    const refused = checkListenAddress(host, tls);
    if (refused) throw new UsageError(refused);
    service = await startServiceApi({
      callWith: core.callWith,
      host,
      port: portOf('service-port', options['service-port']),
      ...(tls ? { tls } : {}),
    });
  } else if (options['service-host'] !== undefined || tlsOf(options)) {
    throw new UsageError('--service-host, --tls-cert and --tls-key go with --service-port.');
  }
  const server = await startWebServer({ call: core.call, rendererDir: rendererDir(), port });
  console.log(`Deputy console: ${server.url}`);
  if (service) console.log(`Deputy service API: ${service.url}`);
  const stop = () => {
    void Promise.all([server.close(), service?.close()])
      .then(() => core.close())
      .then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
