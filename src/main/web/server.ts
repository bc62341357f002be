// Browser mode: the built renderer and the contract over HTTP, on 127.0.0.1 only.
// A per-launch token in the printed URL is traded, once, for an HttpOnly, SameSite=Strict cookie: a URL copied
// from a terminal's scrollback or a shell history later opens nothing. Every other request needs that cookie,
// the right Host and, when sent, the right Origin — or it gets 403.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { CONTENT_SECURITY_POLICY } from '../security';
import type { ConnectionCall } from '../api/dispatch';

export const COOKIE = 'deputy_session';
const MAX_BODY = 1 << 20;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface WebServerOptions {
  call: ConnectionCall;
  rendererDir: string;
  port?: number;
}

export interface WebServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

function cookieOf(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE) return value.join('=');
  }
  return undefined;
}

function send(res: ServerResponse, status: number, body: string | Buffer, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

const forbidden = (res: ServerResponse, why: string) =>
  send(res, 403, `403 Forbidden: ${why}. Open the console with the URL Deputy printed when it started.\n`);

/** How much of a too-large body is read and dropped before the connection is cut instead. */
const DRAIN_LIMIT = 64 << 20;

/**
 * The body, or null when it is larger than MAX_BODY. The rest of a too-large body is read and dropped (up to
 * DRAIN_LIMIT): cutting the connection while the client still sends makes it see a reset, not the 413.
 */
async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > DRAIN_LIMIT) return null;
    if (size <= MAX_BODY) chunks.push(chunk as Buffer);
  }
  return size > MAX_BODY ? null : Buffer.concat(chunks).toString('utf8');
}

function redirectHome(res: ServerResponse, cookie?: string): void {
  res.writeHead(303, { Location: '/', ...(cookie ? { 'Set-Cookie': cookie } : {}), 'Cache-Control': 'no-store' });
  res.end();
}

const invalid = (res: ServerResponse, status: number, message: string) =>
  send(res, status, JSON.stringify({ ok: false, error: { code: 'invalid_input', message } }), 'application/json');

export async function startWebServer({ call, rendererDir: dir, port = 0 }: WebServerOptions): Promise<WebServer> {
  const rendererDir = resolve(dir);
  const token = randomBytes(32).toString('base64url');
  let spent = false;
  const connections = new Set<string>();
  let origins: Set<string> = new Set();

  async function serveFile(res: ServerResponse, pathname: string): Promise<void> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
    } catch {
      return send(res, 400, 'Bad request: the path is not valid percent-encoding\n');
    }
    const rel = normalize(decoded).replace(/^([/\\])+/, '');
    const file = join(rendererDir, rel);
    if (!file.startsWith(rendererDir + sep)) return send(res, 404, 'Not found\n');
    try {
      send(res, 200, await readFile(file), TYPES[extname(file)] ?? 'application/octet-stream');
    } catch {
      send(res, 404, 'Not found\n');
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host ?? '';
    if (!origins.has(`http://${host}`)) return forbidden(res, 'wrong Host');
    const origin = req.headers.origin;
    if (origin !== undefined && !origins.has(origin)) return forbidden(res, 'wrong Origin');
    const url = new URL(req.url ?? '/', `http://${host}`);

    const connectionId = cookieOf(req);
    const offered = url.searchParams.get('token');
    if (req.method === 'GET' && offered !== null) {
      if (!sameSecret(offered, token)) return forbidden(res, 'wrong token');
      // The browser that redeemed it opens the link again (a reload, the history): it has its session.
      if (connectionId && connections.has(connectionId)) return redirectHome(res);
      if (spent) {
        return forbidden(
          res,
          'this link was used already (it opens the console once); restart Deputy for a new one, or use the browser that opened it',
        );
      }
      spent = true;
      const fresh = randomBytes(24).toString('base64url');
      connections.add(fresh);
      return redirectHome(res, `${COOKIE}=${fresh}; HttpOnly; SameSite=Strict; Path=/`);
    }

    if (!connectionId || !connections.has(connectionId)) return forbidden(res, 'no valid session cookie');

    if (url.pathname === '/api') {
      if (req.method !== 'POST') return send(res, 405, 'Use POST\n');
      if (origin === undefined) return forbidden(res, 'missing Origin');
      const text = await readBody(req);
      if (text === null) {
        res.setHeader('Connection', 'close'); // the rest of the body was not read: this connection is done
        return invalid(res, 413, `The request is larger than ${MAX_BODY} bytes.`);
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return invalid(res, 400, 'The request is not valid JSON.');
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        return invalid(res, 400, 'The request is a JSON object: { "method": …, "input": … }.');
      }
      const { method, input } = body as { method?: unknown; input?: unknown };
      const result = await call(connectionId, method, input);
      return send(res, 200, JSON.stringify(result), 'application/json');
    }
    if (req.method !== 'GET') return send(res, 405, 'Method not allowed\n');
    return serveFile(res, url.pathname);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'Internal error\n');
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  origins = new Set([`http://127.0.0.1:${bound}`, `http://localhost:${bound}`]);
  return {
    port: bound,
    url: `http://127.0.0.1:${bound}/?token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
