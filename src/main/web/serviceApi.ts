// The service API: programs call the contract's program methods with a service account's access key, acting
// on behalf of a named user, over HTTP on loopback or HTTPS anywhere else. The same dispatch, guards and
// audit as the console: this only turns a request into a credential and a Result into a response.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { isIP } from 'node:net';
import type { AddressInfo } from 'node:net';
import { isMethodName } from '../../shared/contract';
import type { ApiError, ErrorCode, Result } from '../../shared/result';
import type { Dispatch } from '../api/dispatch';

/** One request's input, at most: the program methods take a few fields, never a document. */
export const MAX_SERVICE_BODY = 64 * 1024;
export const ON_BEHALF_OF = 'deputy-on-behalf-of';
export const API_PREFIX = '/v1/';

/** The HTTP status of each error code (docs/service-api.openapi.json is generated from it). */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  keychain_unavailable: 503,
  storage: 503,
  internal: 500,
};

export interface ServiceApiOptions {
  callWith: Dispatch;
  host?: string;
  port?: number;
  /** PEM certificate and key: required for any address but loopback, so a secret never crosses a network in clear. */
  tls?: { cert: string | Buffer; key: string | Buffer };
}

export interface ServiceApi {
  url: string;
  port: number;
  close(): Promise<void>;
}

export const isLoopback = (host: string) =>
  host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));

/** Refuses to listen where a key would travel in clear; says what to do instead. */
export function checkListenAddress(host: string, tls: ServiceApiOptions['tls']): string | null {
  if (tls || isLoopback(host)) return null;
  return `The service API listens on ${host} only over TLS: give --tls-cert and --tls-key, or listen on 127.0.0.1.`;
}

type Credential = Parameters<Dispatch>[0];

/**
 * `Authorization: Basic base64(keyId:secret)` and the user to act for → a credential, or what is wrong. A portal's
 * API key (R-A5) is sent as `Authorization: Bearer <keyId>.<secret>` and names no user: its account acts as itself.
 */
export function credentialOf(req: IncomingMessage): Credential | ApiError {
  const header = req.headers.authorization;
  if (!header) {
    return { code: 'unauthenticated', message: 'Send the access key as Authorization: Basic base64(keyId:secret).' };
  }
  const [scheme, encoded = ''] = header.split(' ');
  if (scheme?.toLowerCase() === 'bearer') {
    const dot = encoded.indexOf('.');
    if (dot < 1 || dot === encoded.length - 1) {
      return {
        code: 'unauthenticated',
        message: 'A portal API key is sent as Authorization: Bearer <keyId>.<secret>.',
        field: 'authorization',
      };
    }
    // Said, not ignored: a program that believes it acts for a user must learn that a portal's key never does.
    if (req.headers[ON_BEHALF_OF] !== undefined) {
      return {
        code: 'invalid_input',
        message: `A portal API key acts as its service account, for no user: drop the ${ON_BEHALF_OF} header.`,
        field: ON_BEHALF_OF,
      };
    }
    return { kind: 'portalKey', keyId: encoded.slice(0, dot), secret: encoded.slice(dot + 1) };
  }
  const decoded = scheme?.toLowerCase() === 'basic' ? Buffer.from(encoded, 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  if (colon < 1 || colon === decoded.length - 1) {
    return {
      code: 'unauthenticated',
      message: 'The Authorization header is not Basic base64(keyId:secret).',
      field: 'authorization',
    };
  }
  const onBehalfOf = req.headers[ON_BEHALF_OF];
  if (typeof onBehalfOf !== 'string' || onBehalfOf.trim() === '') {
    return {
      code: 'invalid_input',
      message: `Name the user to act for in the ${ON_BEHALF_OF} header.`,
      field: ON_BEHALF_OF,
    };
  }
  return {
    kind: 'accessKey',
    keyId: decoded.slice(0, colon),
    secret: decoded.slice(colon + 1),
    onBehalfOf: onBehalfOf.trim(),
  };
}

/**
 * The body, or null past MAX_SERVICE_BODY. Events rather than `for await`: its async iterator cost ~25 µs a call, a
 * tenth of the server's time per call (test/bench/serviceApi.ts).
 */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_SERVICE_BODY) return void chunks.push(chunk);
      // The rest is read and dropped, so that the 413 still reaches the client on its connection.
      req.off('data', onData);
      req.resume();
      resolve(null);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

function reply(
  res: ServerResponse,
  result: Result<unknown>,
  status = result.ok ? 200 : ERROR_STATUS[result.error.code],
): void {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...(status === 401 ? { 'WWW-Authenticate': 'Basic realm="deputy"' } : {}),
    ...(status === 405 ? { Allow: 'POST' } : {}),
  });
  res.end(JSON.stringify(result));
}

const failure = (code: ErrorCode, message: string, field?: string): Result<never> => ({
  ok: false,
  error: field === undefined ? { code, message } : { code, message, field },
});

export async function startServiceApi({
  callWith,
  host = '127.0.0.1',
  port = 0,
  tls,
}: ServiceApiOptions): Promise<ServiceApi> {
  const refused = checkListenAddress(host, tls);
  if (refused) throw new Error(refused);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://service');
    const method = url.pathname.startsWith(API_PREFIX) ? url.pathname.slice(API_PREFIX.length) : '';
    // A console method is the dispatch's to refuse (forbidden, recorded under the program once its key is checked, R-L3):
    // a program reaching for one is what an administrator should see. Only a path that is no method at all is 404.
    if (!isMethodName(method)) return reply(res, failure('not_found', `There is no method ${url.pathname}.`, 'method'));
    if (req.method !== 'POST') return reply(res, failure('invalid_input', 'Use POST.'), 405);
    const credential = credentialOf(req);
    if ('code' in credential) return reply(res, { ok: false, error: credential });
    // Read (and bound) the body before the key check: a refused caller learns nothing from it either way.
    const body = await readBody(req);
    if (body === null) {
      return reply(res, failure('invalid_input', `The request body is larger than ${MAX_SERVICE_BODY} bytes.`), 413);
    }
    let input: unknown;
    try {
      input = body.trim() === '' ? {} : JSON.parse(body);
    } catch {
      return reply(res, failure('invalid_input', 'The request body is not valid JSON.'));
    }
    return reply(res, await callWith(credential, method, input));
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) reply(res, failure('internal', 'Something went wrong.'));
      else res.end();
    });
  };
  const server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, listener) : createHttpServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    port: bound,
    url: `${tls ? 'https' : 'http'}://${shownHost}:${bound}${API_PREFIX}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
