/**
 * The light install: TensorFlow.js is an optional peer. The packed tarball,
 * installed into an empty app with --omit=peer, brings no @tensorflow
 * package, and the library (require and import), effrank/tfjs,
 * effrank/tensorboard, `effrank rank`, `report` and `watch` work; `demo` and
 * `compare` print one line naming the packages to install and exit 2.
 *
 * Packs a scratch copy of the sources with the addon this checkout already
 * built copied in as its prebuild (the self-contained prebuild itself is
 * test/prebuild.test.ts's subject), so nothing is compiled here.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const scratch = mkdtempSync(join(tmpdir(), 'effrank-light-'));
const consumer = join(scratch, 'app');
const addon = join(root, 'build', 'Release', 'effrank.node');
const ready = existsSync(addon) && existsSync(join(root, 'dist', 'cli.js'));
if (!ready) console.warn('light-install.test.ts: skipped, build the addon and dist/ first (npm run build)');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function sh(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20, timeout: 300_000 });
}

const cli = () => join(consumer, 'node_modules', 'effrank', 'dist', 'cli.js');
const node = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, args, { cwd: consumer, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });

describe.skipIf(!ready)('installed without the optional peers', () => {
  beforeAll(() => {
    const src = join(scratch, 'src');
    const files = sh('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], root).split('\0').filter(Boolean);
    for (const f of files) if (existsSync(join(root, f))) cpSync(join(root, f), join(src, f), { recursive: true });
    cpSync(join(root, 'dist'), join(src, 'dist'), { recursive: true });
    mkdirSync(join(src, 'prebuilds', `${process.platform}-${process.arch}`), { recursive: true });
    cpSync(addon, join(src, 'prebuilds', `${process.platform}-${process.arch}`, 'effrank.node'));
    symlinkSync(join(root, 'node_modules'), join(src, 'node_modules'));
    const tarball = sh('npm', ['pack', '--ignore-scripts', '--silent'], src).trim().split('\n').pop()!;
    mkdirSync(consumer, { recursive: true });
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
    sh('npm', ['install', '--omit=peer', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', join(src, tarball)], consumer);
    cpSync(join(root, 'test', 'fixtures', 'run-small.jsonl'), join(consumer, 'run.jsonl'));
    // A 6×3 float64 .npy of rank 2, written by numpy.
    execFileSync('/usr/bin/python3', ['-c', "import numpy as np; a = np.arange(18.0).reshape(6, 3); np.save('m.npy', a)"], { cwd: consumer });
  }, 600_000);

  it('has no @tensorflow package, and the library loads with require and import', () => {
    expect(existsSync(join(consumer, 'node_modules', 'effrank', 'package.json'))).toBe(true);
    expect(existsSync(join(consumer, 'node_modules', '@tensorflow'))).toBe(false);
    const req = node(['-e', "const e = require('effrank'); console.log(JSON.stringify(Array.from(e.svdvals({ data: new Float64Array([3, 0, 0, 4]), rows: 2, cols: 2 }))))"], { PREBUILDS_ONLY: '1' });
    expect(req.stderr).toBe('');
    expect(JSON.parse(req.stdout)).toEqual([4, 3]);
    const imp = node(['--input-type=module', '-e', [
      "const e = await import('effrank');",
      "const t = await import('effrank/tfjs');",
      "const b = await import('effrank/tensorboard');",
      "console.log(JSON.stringify([e.epsRank([[1, 0], [0, 1e-4]], { eps: 1e-3 }), typeof t.RankTracker, typeof b.TensorBoardWriter]));",
    ].join('\n')], { PREBUILDS_ONLY: '1' });
    expect(imp.stderr).toBe('');
    expect(JSON.parse(imp.stdout)).toEqual([1, 'function', 'function']);
  });

  it('effrank rank and report work', () => {
    const rank = node([cli(), 'rank', 'm.npy', '--json']);
    expect(rank.stderr).toBe('');
    expect(rank.status).toBe(0);
    expect(JSON.parse(rank.stdout)).toMatchObject({ N: 6, n: 3, numericalRank: 2 });
    const report = node([cli(), 'report', 'run.jsonl', '-o', 'report.html']);
    expect(report.status).toBe(0);
    expect(existsSync(join(consumer, 'report.html'))).toBe(true);
  });

  it('effrank watch serves the page and stops on SIGINT', async () => {
    const child = spawn(process.execPath, [cli(), 'watch', 'run.jsonl'], { cwd: consumer, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (c) => (out += c));
    child.stderr!.on('data', (c) => (out += c));
    const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    try {
      while (!/http:\/\/127\.0\.0\.1:\d+\//.test(out)) {
        if (child.exitCode !== null) throw new Error(out);
        await new Promise((r) => setTimeout(r, 50));
      }
      const url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)![1]!;
      const page = await new Promise<string>((resolve, reject) => {
        get(url, { timeout: 5_000 }, (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve(body));
        }).on('error', reject);
      });
      expect(page).toContain('<main data-records="122">');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exit).toBe(0);
    clearTimeout(timer);
  }, 40_000);

  it('effrank demo and compare: one line naming the packages to install, exit 2', () => {
    for (const command of ['demo', 'compare']) {
      const r = node([cli(), command, '--quick']);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toEqual([
        'effrank: this command trains with TensorFlow.js, an optional peer dependency: npm install @tensorflow/tfjs @tensorflow/tfjs-backend-wasm',
      ]);
    }
    expect(readdirSync(consumer)).not.toContain('effrank-demo');
  });
});
