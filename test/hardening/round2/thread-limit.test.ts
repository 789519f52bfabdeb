/**
 * Issue 11, class 3: when no thread can be created (RLIMIT_NPROC reached),
 * effrank degrades or reports ERR_THREAD_LIMIT; it used to die: OpenBLAS
 * raised SIGINT when the addon loaded, and the first async call aborted on an
 * uncaught std::system_error.
 *
 * The child runs as `nobody` (setpriv) and lowers its own limit to 1 with
 * `prlimit --pid` once Node's threads run: already over the limit, it can
 * create no further thread, whatever Node started or stops meanwhile. Needs root (CI runs as
 * root); skipped otherwise.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { repoRoot } from '../workers/spawn.js';

const asNobody = ['--reuid=65534', '--regid=65534', '--clear-groups'];
const tools = process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status === 0 && spawnSync('prlimit', ['--version']).status === 0;
// `nobody` must be able to read the checkout (not so under a 0700 /root).
const readable = tools && spawnSync('setpriv', [...asNobody, process.execPath, '-e', `require('fs').accessSync(${JSON.stringify(join(repoRoot, 'build'))})`]).status === 0;
if (tools && !readable) console.warn('thread-limit.test.ts skipped: user nobody cannot read the checkout');
const canRun = tools && readable;

interface Outcome { value?: number[]; code?: string; message?: string; raw?: string }

function runLimited(): Promise<{ code: number | null; signal: string | null; lines: string[]; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('setpriv', [...asNobody, process.execPath, join(repoRoot, 'test/hardening/round2/thread-limit-child.mjs')], { cwd: '/', stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, lines: out.trim().split('\n'), stderr });
    });
  });
}

describe.skipIf(!canRun)('thread creation failure (issue 11, class 3)', () => {
  it('at RLIMIT_NPROC: loading and sync calls work on fewer threads, async calls reject with ERR_THREAD_LIMIT', async () => {
    expect(existsSync(join(repoRoot, 'dist/index.js'))).toBe(true); // built by `npx tsup`
    const r = await runLimited();
    expect(r.signal, r.stderr).toBeNull();
    expect(r.code, r.stderr).toBe(0);
    const setup = JSON.parse(r.lines[0]!) as { threads: number; prlimit: number; limited: boolean };
    expect(setup.prlimit, JSON.stringify(setup)).toBe(0);
    expect(setup.limited).toBe(true);
    const report = JSON.parse(r.lines[r.lines.length - 1]!) as Record<string, Outcome | number>;
    expect(report.threadsAfterLoad).toBe(setup.threads); // loading started no thread
    expect(report.sync).toEqual({ value: [600, 599, 598] });
    expect(report.batched).toEqual({ value: [4, 3, 12] }); // σ(diag(3, 4)) = 4, 3; σ([[5, 0], [0, 12]]) = 12, 5
    expect((report.async as Outcome).code).toBe('ERR_THREAD_LIMIT');
    expect(report.syncAfterAsync).toEqual({ value: [600, 599, 598] });
    expect(report.threadsAtEnd).toBeLessThanOrEqual(setup.threads);
  }, 90_000);
});
