/**
 * The main job, as a user runs it: `effrank demo --quick` and `effrank
 * compare --quick` from the built CLI (npm test builds dist/ first).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RankRecord } from '../src/tfjs/options.js';
import { checkWellFormedXml } from './helpers-report/xml.js';

const cli = join(import.meta.dirname, '..', 'dist', 'cli.js');
const tmp = mkdtempSync(join(tmpdir(), 'effrank-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 120_000 });
}

describe('effrank demo --quick', () => {
  const out = join(tmp, 'demo');
  let r: ReturnType<typeof run>;
  beforeAll(() => {
    r = run(['demo', '--quick', '--epochs', '600', '--every', '2', '--out', out]);
  }, 120_000);

  it('exits 0 and prints the staircase summary', () => {
    expect(r.stderr).not.toMatch(/Error|at .*\(/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/backend: (wasm|cpu|tensorflow)/);
    expect(r.stdout).toMatch(/staircase of h3, ε = 0\.001:/);
    expect(r.stdout).toMatch(/Spearman\(loss, rank\) = -?\d\.\d{3}/);
  });

  it('logs one record per tracked epoch and layer, and the last layer climbs', () => {
    const records = readFileSync(join(out, 'run.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as RankRecord);
    for (const layer of ['h1', 'h2', 'h3']) {
      const steps = records.filter((x) => x.layer === layer).map((x) => x.step);
      expect(steps).toEqual(Array.from({ length: 301 }, (_, i) => 2 * i)); // step 0, then every 2 epochs
    }
    const last = records.filter((x) => x.layer === 'h3');
    expect(last.at(-1)!.epsRank['0.001']!).toBeGreaterThan(last[0]!.epsRank['0.001']!);
    expect(last.at(-1)!.loss!).toBeLessThan(last[1]!.loss!);
  });

  it('writes an HTML report with an <svg> per chart, and a staircase SVG that is well-formed XML', () => {
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    // Three layers × (rank panel + spectrum panel).
    expect(html.match(/<svg[\s>]/g)).toHaveLength(6);
    for (const svg of html.match(/<svg[\s\S]*?<\/svg>/g)!) expect(checkWellFormedXml(svg)).toBe('svg');
    const staircase = readFileSync(join(out, 'staircase.svg'), 'utf8');
    expect(checkWellFormedXml(staircase)).toBe('svg');
  });

  it('is deterministic for a seed on a backend', () => {
    const again = join(tmp, 'demo-again');
    const r2 = run(['demo', '--quick', '--epochs', '600', '--every', '2', '--out', again]);
    expect(r2.status).toBe(0);
    const strip = (file: string) =>
      readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => {
        const { ms: _ms, ...rest } = JSON.parse(l) as RankRecord;
        return rest;
      });
    expect(strip(join(again, 'run.jsonl'))).toEqual(strip(join(out, 'run.jsonl')));
  }, 120_000);
});

describe('effrank compare --quick', () => {
  it('prints the comparison table and writes the report', () => {
    const out = join(tmp, 'compare');
    const r = run(['compare', '--quick', '--epochs', '300', '--out', out]);
    expect(r.status).toBe(0);
    for (const setup of ['adam', 'sgd', 'adam+structured', 'adam+pretrain']) expect(r.stdout).toMatch(new RegExp(`^${setup.replace('+', '\\+')}\\s`, 'm'));
    expect(r.stdout).toMatch(/epochs to loss ≤ 0\.1/);
    const html = readFileSync(join(out, 'compare.html'), 'utf8');
    expect(html.match(/<svg[\s>]/g)).toHaveLength(4);
    // The structured first layer starts with far more ε-independent neurons than Glorot's.
    const row = (name: string) => r.stdout.split('\n').find((l) => l.startsWith(`${name} `))!.trim().split(/\s{2,}/);
    expect(Number(row('adam+structured').at(-1))).toBeGreaterThan(Number(row('adam').at(-1)) + 5);
  }, 180_000);
});
