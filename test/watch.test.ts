/**
 * `effrank watch`: the live page in headless Chromium (records appended to
 * the log reach the page without a reload), the log follower (partial lines,
 * truncation, bad lines), and the server's limits: loopback only, two routes
 * and no path traversal, Host checked, a clean exit on SIGINT. All traffic
 * goes to 127.0.0.1, a bounded number of requests, each with a timeout.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import fc from 'fast-check';

import { LogTail } from '../src/cli/watch/log-tail.js';
import { parseLog } from '../src/report/load-log.js';
import { type WatchServer, startWatch } from '../src/cli/watch/server.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const browserAvailable = existsSync(CHROMIUM);
if (!browserAvailable) console.warn(`watch.test.ts: browser test skipped, no Chromium at ${CHROMIUM}`);
const FIXTURE_LINES = readFileSync(fileURLToPath(new URL('./fixtures/run-small.jsonl', import.meta.url)), 'utf8').trimEnd().split('\n');
const cli = join(import.meta.dirname, '..', 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'effrank-watch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let logs = 0;
const freshLog = (lines: string[]) => {
  const path = join(dir, `run${logs++}.jsonl`);
  writeFileSync(path, lines.map((l) => `${l}\n`).join(''));
  return path;
};

interface Reply {
  status: number;
  body: string;
}

/** One GET (or other method) to 127.0.0.1 with a raw path and optional Host, 5 s at most. */
function get(port: number, path: string, o: { host?: string; method?: string; address?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: o.address ?? '127.0.0.1', port, path, method: o.method ?? 'GET', headers: o.host ? { host: o.host } : {}, timeout: 5_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function startCli(log: string): Promise<{ child: ChildProcess; url: string; out: () => string }> {
  const child = spawn(process.execPath, [cli, 'watch', log], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`watch did not start: ${out}`))), 15_000);
    child.stdout!.on('data', () => {
      const m = /serving .* at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) (clearTimeout(timer), resolve({ child, url: m[1]!, out: () => out }));
    });
    child.on('exit', (code) => (clearTimeout(timer), reject(new Error(`watch exited ${code}: ${out}`))));
  });
}

function exited(child: ChildProcess, ms: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error('no exit after SIGINT'))), ms);
    child.on('exit', (code) => (clearTimeout(timer), resolve(code)));
  });
}

describe.skipIf(!browserAvailable)('effrank watch in headless Chromium', () => {
  let context: BrowserContext;
  beforeAll(async () => {
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1000, height: 800 },
    });
  }, 30_000);
  afterAll(async () => {
    await context?.close();
  });

  it('shows the records of the log, then the appended ones without a reload, and draws their points', async () => {
    const log = freshLog(FIXTURE_LINES.slice(0, 40)); // 20 steps of each of two layers
    const { child, url } = await startCli(log);
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      let loads = 0;
      page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('request', (r) => requests.push(r.url()));
      page.on('load', () => loads++);
      await page.goto(url, { waitUntil: 'load' });
      const records = () => page.locator('main').getAttribute('data-records');
      // Points of the first layer's ε-rank line: the step path has one H segment per point after the first.
      const points = async () => ((await page.locator('svg.chart-rank path.rank').first().getAttribute('d')) ?? '').split('H').length;
      expect(await records()).toBe('40');
      expect(await points()).toBe(20);
      await until('the page to connect', async () => (await page.locator('#live-state').textContent()) === 'live');
      expect(await page.locator('#live-count').textContent()).toBe('40');
      expect(await page.locator('#live-last').textContent()).not.toBe('none yet');

      for (const line of FIXTURE_LINES.slice(40, 60)) appendFileSync(log, `${line}\n`);
      await until('60 records on the page', async () => (await records()) === '60');
      expect(await points()).toBe(30);
      expect(await page.locator('#live-count').textContent()).toBe('60');
      expect(await page.locator('table.summary tbody tr').count()).toBe(4);
      expect(loads).toBe(1); // updated in place, never reloaded
      expect(problems).toEqual([]);
      const origin = new URL(url).origin;
      expect(requests.every((r) => r.startsWith(origin))).toBe(true);
      expect(requests.length).toBeLessThan(10);
      await page.close();
    } finally {
      child.kill('SIGINT');
      await exited(child, 10_000);
    }
  }, 60_000);
});

describe('the watch server', () => {
  let w: WatchServer;
  let log: string;
  beforeAll(async () => {
    log = freshLog(FIXTURE_LINES.slice(0, 10));
    w = await startWatch({ log, pollMs: 50 });
  });
  afterAll(async () => {
    await w?.close();
  });

  it('listens on 127.0.0.1 only', async () => {
    expect(w.url).toBe(`http://127.0.0.1:${w.port}/`);
    const page = await get(w.port, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<main data-records="10">');
    const others = Object.values(networkInterfaces()).flat().filter((a) => a && !a.internal && a.family === 'IPv4').map((a) => a!.address);
    for (const address of others.slice(0, 4)) {
      await expect(get(w.port, '/', { address })).rejects.toThrow(/ECONNREFUSED/);
    }
  });

  it('serves nothing by path: traversal attempts and the log itself are 404', async () => {
    for (const path of ['/../../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd', `/${log.split('/').pop()}`, '/events/../run0.jsonl', `/${encodeURIComponent(log)}`]) {
      const r = await get(w.port, path);
      if (r.status === 200) {
        // Only `/` itself (after normalisation) may answer: then it is the page, never a file.
        expect(r.body).toContain('<main data-records=');
      } else {
        expect(r.status, path).toBe(404);
      }
      expect(r.body).not.toMatch(/root:|"lambdaMax"/);
    }
  });

  it('refuses another Host (DNS rebinding) and methods other than GET/HEAD', async () => {
    expect((await get(w.port, '/', { host: 'evil.example' })).status).toBe(403);
    expect((await get(w.port, '/', { host: `evil.example:${w.port}` })).status).toBe(403);
    expect((await get(w.port, '/', { host: `localhost:${w.port}` })).status).toBe(200);
    expect((await get(w.port, '/', { method: 'POST' })).status).toBe(405);
    expect((await get(w.port, '/', { method: 'HEAD' })).status).toBe(200);
  });

  it('a page allows only its own inline script (by hash) and connections back to itself', async () => {
    const { body } = await get(w.port, '/');
    const csp = /Content-Security-Policy" content="([^"]+)"/.exec(body)![1]!;
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toMatch(/connect-src 'self'/);
    expect(body).not.toMatch(/<script src=|<link /);
  });
});

describe('LogTail', () => {
  it('waits for a line to be complete, reads only what was appended, and starts over when the log is truncated', () => {
    const log = join(dir, 'tail.jsonl');
    const tail = new LogTail(log);
    tail.poll();
    expect(tail.error).toMatch(/waiting for/);
    writeFileSync(log, `${FIXTURE_LINES[0]}\n${FIXTURE_LINES[1]!.slice(0, 30)}`);
    tail.poll();
    expect(tail.error).toBeNull();
    expect(tail.records).toHaveLength(1);
    appendFileSync(log, `${FIXTURE_LINES[1]!.slice(30)}\n`);
    tail.poll();
    expect(tail.records).toHaveLength(2);
    expect(tail.records[1]).toEqual(JSON.parse(FIXTURE_LINES[1]!));
    appendFileSync(log, 'not json\n');
    appendFileSync(log, `${FIXTURE_LINES[2]}\n`);
    tail.poll();
    expect(tail.records).toHaveLength(3);
    expect(tail.error).toMatch(/line 3: not valid JSON \(skipped\)/);
    truncateSync(log, 0);
    writeFileSync(log, `${FIXTURE_LINES[5]}\n`);
    tail.poll();
    expect(tail.records).toEqual([JSON.parse(FIXTURE_LINES[5]!)]);
    expect(tail.lastArrival).toBeGreaterThan(0);
  });

  it('whatever the chunks the log is written in, ends with the records parseLog reads from the whole (property)', () => {
    const text = FIXTURE_LINES.slice(0, 12).map((l) => `${l}\n`).join('');
    const whole = parseLog(text);
    let k = 0;
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: text.length - 1 }), { maxLength: 8 }), (cuts) => {
        const log = join(dir, `chunks${k++}.jsonl`);
        writeFileSync(log, '');
        const tail = new LogTail(log);
        const bounds = [0, ...cuts.sort((a, b) => a - b), text.length];
        for (let i = 1; i < bounds.length; i++) {
          appendFileSync(log, text.slice(bounds[i - 1], bounds[i]));
          tail.poll();
          expect(tail.error).toBeNull();
        }
        expect(tail.records).toEqual(whole);
      }),
      { numRuns: 40 },
    );
  });

  const fifo = join(dir, 'fifo.jsonl');
  const hasFifo = spawnSync('mkfifo', [fifo], { timeout: 5_000 }).status === 0;
  it.skipIf(!hasFifo)('does not open a FIFO (it would block): it says the log is not a regular file', () => {
    const tail = new LogTail(fifo);
    tail.poll();
    expect(tail.error).toMatch(/not a regular file/);
    expect(tail.records).toEqual([]);
  });
});

describe('effrank watch (the command)', () => {
  it('ends cleanly on SIGINT with a live page connected, exit code 0', async () => {
    const log = freshLog(FIXTURE_LINES.slice(0, 4));
    const { child, url, out } = await startCli(log);
    const port = Number(new URL(url).port);
    const events = request({ host: '127.0.0.1', port, path: '/events', timeout: 5_000 });
    const first = new Promise<string>((resolve) => events.on('response', (res) => res.once('data', (c) => resolve(String(c)))));
    events.end();
    expect(await first).toMatch(/event: update/);
    child.kill('SIGINT');
    expect(await exited(child, 10_000)).toBe(0);
    expect(out()).toMatch(/stopped/);
    events.destroy();
  }, 30_000);

  it('--port out of range is one line naming the option, a hint, exit 2', async () => {
    const child = spawn(process.execPath, [cli, 'watch', 'x.jsonl', '--port', '70000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (c) => (err += c));
    expect(await exited(child, 10_000)).toBe(2);
    expect(err.trim().split('\n')).toEqual([
      expect.stringMatching(/option '--port <n>' argument '70000' is invalid/),
      "(run 'effrank watch --help' for usage)",
    ]);
  });
});
