/**
 * CLI conventions, from the built CLI: --version, usage errors as one line
 * plus a --help hint with exit code 2, and the demo's --tensorboard and
 * --watch outputs checked against its own JSONL log.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import type { RankRecord } from '../src/tfjs/options.js';
import { readEventFile, scalarsOf } from './helpers-tensorboard/reader.js';

const root = join(import.meta.dirname, '..');
const cli = join(root, 'dist', 'cli.js');
const tmp = mkdtempSync(join(tmpdir(), 'effrank-conventions-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });
}

describe('effrank --version', () => {
  it('prints the package version and exits 0', () => {
    const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version as string;
    for (const flag of ['--version', '-V']) {
      const r = run([flag]);
      expect(r.status).toBe(0);
      expect(r.stdout.trim()).toBe(version);
    }
  });
});

describe('a bad option value', () => {
  const raw = join(tmp, 'x.f32');
  writeFileSync(raw, Buffer.alloc(48));
  const cases: Array<[string[], RegExp, string]> = [
    [['rank', raw, '--shape', '0,12'], /option '--shape <N,n>' argument '0,12' is invalid/, 'rank'],
    [['rank', raw, '--eps', '-1'], /option '--eps <eps>' argument '-1' is invalid/, 'rank'],
    [['demo', '--eps', '-1'], /option '--eps <eps>' argument '-1' is invalid/, 'demo'],
    [['demo', '--task', 'nope'], /option '--task <task>' argument 'nope' is invalid\. Allowed choices are sin1d/, 'demo'],
    [['compare', '--epochs', '0'], /option '--epochs <n>' argument '0' is invalid/, 'compare'],
    [['report', 'a.jsonl', '--bogus'], /unknown option '--bogus'/, 'report'],
  ];
  for (const [args, message, command] of cases) {
    it(`effrank ${args.join(' ')}: one line naming the option, a --help hint, exit 2`, () => {
      const r = run(args);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(message);
      expect(lines[1]).toBe(`(run 'effrank ${command} --help' for usage)`);
      expect(r.stderr).not.toMatch(/Usage:/);
    });
  }

  it('an unknown command: one line and the hint, exit 2', () => {
    const r = run(['rnak']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'rnak'/);
    expect(r.stderr).toMatch(/\(run 'effrank --help' for usage\)/);
  });

  it('--help still prints the help and exits 0', () => {
    const r = run(['rank', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Usage: effrank rank/);
  });
});

function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { timeout: 5_000 }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

describe('effrank demo --tensorboard DIR --watch', () => {
  it('writes event files matching its JSONL log, serves the run live, and ends on SIGINT with 0', async () => {
    const out = join(tmp, 'demo');
    const tb = join(tmp, 'tb');
    const child = spawn(process.execPath, [cli, 'demo', '--quick', '--epochs', '40', '--every', '10', '--width', '12', '--points', '64', '--out', out, '--tensorboard', tb, '--watch'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout!.on('data', (c) => (text += c));
    child.stderr!.on('data', (c) => (text += c));
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 90_000;
      while (!/stays up until Ctrl-C/.test(text)) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`demo did not finish: ${text}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const records = readFileSync(join(out, 'run.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as RankRecord);
      expect(records).toHaveLength(3 * 5); // three layers, steps 0, 10, 20, 30, 40

      const url = /serving .* at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(text)![1]!;
      let page = await get(url);
      for (let i = 0; i < 50 && !page.includes(`data-records="${records.length}"`); i++) {
        await new Promise((r) => setTimeout(r, 100));
        page = await get(url);
      }
      expect(page).toContain(`<main data-records="${records.length}">`);

      const files = readdirSync(tb).filter((f) => f.startsWith('events.out.tfevents.'));
      expect(files).toHaveLength(1);
      const scalars = scalarsOf(readEventFile(join(tb, files[0]!)));
      for (const layer of ['h1', 'h2', 'h3']) {
        const mine = records.filter((r) => r.layer === layer);
        expect(scalars.get(`eps_rank/${layer}/0.001`)).toEqual(mine.map((r) => [r.step, r.epsRank['0.001']]));
        expect(scalars.get(`lambda_max/${layer}`)).toEqual(mine.map((r) => [r.step, r.lambdaMax]));
        expect(scalars.get(`stableRank/${layer}`)).toEqual(mine.map((r) => [r.step, r.stableRank]));
      }
      expect(scalars.get('loss')).toEqual(records.filter((r) => r.layer === 'h1' && r.loss !== null).map((r) => [r.step, r.loss]));
    } finally {
      child.kill('SIGINT');
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    expect(await exit).toBe(0);
    clearTimeout(timer);
    expect(text).toMatch(/effrank watch: stopped/);
  }, 120_000);
});
