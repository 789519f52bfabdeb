/**
 * The HTTP server of `effrank watch`: bound to 127.0.0.1 only, two routes
 * and nothing else (no file is ever served by path, so there is nothing to
 * traverse): `/` the live page, `/events` a Server-Sent Events stream that
 * sends the new `<main>` whenever the log changes. Requests whose Host is not
 * this loopback address are refused (DNS rebinding), as are methods other
 * than GET/HEAD. At most MAX_CLIENTS streams at once.
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename } from 'node:path';

import { invalidArgument } from '../../core/errors.js';
import { LogTail } from './log-tail.js';
import { type LiveState, livePage, liveState } from './live-page.js';

const MAX_CLIENTS = 32;
/** A page that stops reading its stream is dropped once this much is queued for it (it reconnects and gets the latest). */
const MAX_QUEUED_BYTES = 16 << 20;
const HEARTBEAT_MS = 15_000;
export const HOST = '127.0.0.1';

export interface WatchOptions {
  log: string;
  /** 0 (default): any free port. */
  port?: number;
  title?: string;
  /** How often the log is checked. Default 300 ms. */
  pollMs?: number;
}

export interface WatchServer {
  url: string;
  port: number;
  tail: LogTail;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`${text}\n`);
}

export async function startWatch(o: WatchOptions): Promise<WatchServer> {
  const port = o.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw invalidArgument(`--port must be an integer in [0, 65535], got ${port}`);
  const title = o.title ?? `effrank watch: ${basename(o.log)}`;
  const source = basename(o.log);
  const tail = new LogTail(o.log);
  const clients = new Set<ServerResponse>();
  let signature = '';
  let state: LiveState = liveState([], null, null, { title, source });
  let event = '';

  const refresh = (): void => {
    tail.poll();
    if (tail.signature === signature) return;
    signature = tail.signature;
    try {
      state = liveState(tail.records, tail.lastArrival, tail.error, { title, source });
    } catch (e) {
      state = { ...state, error: (e as Error).message };
    }
    event = `event: update\ndata: ${JSON.stringify(state)}\n\n`;
    for (const c of clients) {
      if (c.writableLength > MAX_QUEUED_BYTES) (c.destroy(), clients.delete(c));
      else c.write(event);
    }
  };
  refresh();
  const poller = setInterval(refresh, o.pollMs ?? 300);
  const heartbeat = setInterval(() => {
    for (const c of clients) c.write(': keep-alive\n\n');
  }, HEARTBEAT_MS);

  let allowedHosts: Set<string> = new Set();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!allowedHosts.has(req.headers.host ?? '')) return plain(res, 403, 'forbidden: wrong Host');
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'method not allowed');
    const path = new URL(req.url ?? '/', `http://${HOST}`).pathname;
    if (path === '/' || path === '/index.html') {
      const html = livePage(state, title);
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html) });
      return void res.end(req.method === 'HEAD' ? undefined : html);
    }
    if (path === '/events') {
      if (clients.size >= MAX_CLIENTS) return plain(res, 503, `at most ${MAX_CLIENTS} live pages at once`);
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
      res.write(`retry: 1000\n\n${event || `event: update\ndata: ${JSON.stringify(state)}\n\n`}`);
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    plain(res, 404, 'not found');
  });
  // Streams stay open: without these, close() would wait for every browser tab.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      clearInterval(poller);
      clearInterval(heartbeat);
      reject(invalidArgument(e.code === 'EADDRINUSE' ? `port ${port} is in use on ${HOST}: pick another with --port` : `cannot listen on ${HOST}:${port} (${e.code ?? e.message})`));
    });
    server.listen(port, HOST, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  allowedHosts = new Set([`${HOST}:${bound}`, `localhost:${bound}`]);
  return {
    url: `http://${HOST}:${bound}/`,
    port: bound,
    tail,
    close: async () => {
      clearInterval(poller);
      clearInterval(heartbeat);
      for (const c of clients) c.end();
      clients.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
