/**
 * `effrank rank FILE`: every fixture of test/fixtures/make_fixtures.py, loaded
 * whole (SVD) and streamed in small chunks (float64 Gram), against the
 * measures numpy computed from the stored values; the human table; option
 * handling; every malformed-file case (exit code 2, one line on stderr naming
 * the file, no stack trace). Runs the command in-process through `runRank`;
 * one test runs the built CLI (dist/cli.js) when it has the command.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type CommandIo, parseSize, runRank } from '../src/cli/rank-command.js';

const DIR = fileURLToPath(new URL('./fixtures/io/', import.meta.url));
const fixture = (name: string) => DIR + name;
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

interface Case {
  file: string;
  dtype: 'float32' | 'float64';
  stored: string;
  N: number;
  n: number;
  shape?: number[];
  weights?: string;
  scale?: number;
  center?: boolean;
  eigenvalues: number[];
  eps: number[];
  counts: number[];
  defaultCount: number;
  numericalRank: number;
  entropyRank: number;
  stableRank: number;
  participationRatio: number;
  approximateRank: number;
  lambdaMax: number;
}
const expected = JSON.parse(readFileSync(fixture('expected.json'), 'utf8')) as { cases: Record<string, Case> };

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CommandIo = { out: (s) => void (out += s), err: (s) => void (err += s), exit: () => {} };
  const code = await runRank(args, io);
  return { code, out, err };
}

function caseArgs(c: Case): string[] {
  const args = [fixture(c.file), '--json', '--eigenvalues', '--eps', '1e-3', ...c.eps.flatMap((e) => ['--eps', String(e)])];
  if (c.shape?.length === 2) args.push('--shape', c.shape.join(','));
  if (c.weights) args.push('--weights', fixture(c.weights));
  if (c.scale !== undefined) args.push('--scale', String(c.scale));
  if (c.center) args.push('--center');
  return args;
}

function expectRelClose(actual: number, want: number, rtol: number, what: string): void {
  expect(Math.abs(actual - want), `${what}: ${actual} vs numpy ${want}`).toBeLessThanOrEqual(rtol * Math.abs(want));
}

function checkAgainstNumpy(j: Record<string, unknown>, c: Case, streamed: boolean): void {
  expect(j).toMatchObject({ N: c.N, n: c.n, dtype: c.stored, streamed, path: streamed ? 'gram' : 'svd' });
  expect(j.computeDtype).toBe(streamed ? 'float64' : c.dtype);
  // The SVD in float32 resolves λ to ~1e-6·λ_max; the float64 Gram (or SVD) to ~1e-14·λ_max.
  const tol = !streamed && c.dtype === 'float32' ? 1e-5 : 1e-11;
  const lambda = j.eigenvalues as number[];
  expect(lambda).toHaveLength(c.n);
  for (let i = 0; i < c.n; i++) expect(Math.abs(lambda[i]! - c.eigenvalues[i]!), `λ_${i}`).toBeLessThanOrEqual(tol * c.lambdaMax);
  expect(j.eps).toEqual([1e-3, ...c.eps]);
  expect(j.epsRank).toEqual([c.defaultCount, ...c.counts]);
  expect(j.numericalRank).toBe(c.numericalRank);
  expect(j.approximateRank).toBe(c.approximateRank);
  expectRelClose(j.lambdaMax as number, c.lambdaMax, tol, 'λ_max');
  const rtol = !streamed && c.dtype === 'float32' ? 1e-5 : 1e-9;
  expectRelClose(j.entropyRank as number, c.entropyRank, rtol, 'entropyRank');
  expectRelClose(j.stableRank as number, c.stableRank, rtol, 'stableRank');
  expectRelClose(j.participationRatio as number, c.participationRatio, rtol, 'participationRatio');
}

describe('effrank rank: every fixture against numpy', () => {
  for (const [name, c] of Object.entries(expected.cases)) {
    it(`${name}: loaded whole (svd) and streamed in 8-row chunks (float64 Gram)`, async () => {
      const whole = await run(caseArgs(c));
      expect(whole.err).toBe('');
      expect(whole.code).toBe(0);
      checkAgainstNumpy(JSON.parse(whole.out), c, false);

      const bytesPerRow = c.stored === 'text' ? 8 * c.n : c.n * Number(c.stored.slice(2));
      const streamed = await run([...caseArgs(c), '--stream-above', '0', '--chunk-bytes', String(8 * bytesPerRow)]);
      expect(streamed.err).toBe('');
      const j = JSON.parse(streamed.out);
      expect(j.chunks).toBe(Math.ceil(c.N / 8));
      checkAgainstNumpy(j, c, true);
    });
  }

  it('--relative: ε·λ_max gives the same counts', async () => {
    const c = expected.cases['f32_be_f']!;
    const { out } = await run([fixture(c.file), '--json', '--relative', ...c.eps.flatMap((e) => ['--eps', String(e / c.lambdaMax)])]);
    expect(JSON.parse(out)).toMatchObject({ relative: true, epsRank: c.counts });
  });
});

describe('effrank rank: paths and options', () => {
  const prior = process.env.EFFRANK_STREAM_ABOVE;
  afterEach(() => {
    if (prior === undefined) delete process.env.EFFRANK_STREAM_ABOVE;
    else process.env.EFFRANK_STREAM_ABOVE = prior;
  });

  it('the threshold comes from --stream-above or EFFRANK_STREAM_ABOVE; --method svd always loads whole, eigen uses the Gram', async () => {
    const file = fixture('f64_c.npy'); // 2048 bytes
    const path = async (...args: string[]) => {
      const j = JSON.parse((await run([file, '--json', ...args])).out);
      return `${j.path}/${j.streamed ? 'stream' : 'memory'}`;
    };
    expect(await path()).toBe('svd/memory');
    expect(await path('--stream-above', '2K')).toBe('svd/memory');
    expect(await path('--stream-above', '2047')).toBe('gram/stream');
    process.env.EFFRANK_STREAM_ABOVE = '1k';
    expect(await path()).toBe('gram/stream');
    expect(await path('--method', 'svd')).toBe('svd/memory');
    delete process.env.EFFRANK_STREAM_ABOVE;
    expect(await path('--method', 'eigen')).toBe('gram/memory');
  });

  it('parseSize', () => {
    expect([parseSize('0'), parseSize('65536'), parseSize('64M'), parseSize('1.5k'), parseSize('2GiB'), parseSize('16 MB')]).toEqual([0, 65536, 64 << 20, 1536, 2 ** 31, 16 << 20]);
    expect(() => parseSize('lots')).toThrow();
  });

  it('prints a table: file, shape, path, one ε-rank line per ε, the measures', async () => {
    const c = expected.cases['weighted_f32_f']!;
    const { code, out, err } = await run(caseArgs(c).filter((a) => a !== '--json' && a !== '--eigenvalues'));
    expect([code, err]).toEqual([0, '']);
    const lines = out.trimEnd().split('\n');
    const field = (k: string) => lines.find((l) => l.startsWith(`${k} `))?.slice(k.length).trim();
    expect(field('file')).toBe(fixture(c.file));
    expect(field('matrix')).toBe('N=40 × n=6, <f4, Fortran order');
    expect(field('path')).toBe('svd, float32 (loaded whole)');
    expect(field('options')).toBe(`weights ${fixture('weights.npy')}, centered, scale 2`);
    expect(field('ε-rank ε=0.001')).toBe(String(c.defaultCount));
    expect(lines.filter((l) => l.startsWith('ε-rank ε='))).toHaveLength(1 + c.eps.length);
    expect(field('numerical rank')).toBe(String(c.numericalRank));
    expect(field('approximate rank')).toBe(`${c.approximateRank} (99% energy)`);
    expect(Number(field('entropy rank'))).toBeCloseTo(c.entropyRank, 4);
    expect(Number(field('λ_max'))).toBeCloseTo(c.lambdaMax, 4);
    const streamed = await run([fixture('plain.csv'), '--stream-above', '1K', '--chunk-bytes', '1K']);
    expect(streamed.out).toMatch(/^path\s+gram, float64 eigenvalues \(streamed in 2 chunks\)$/m);
  });

  it('usage errors are commander\'s message, exit code 2', async () => {
    for (const args of [['f.npy', '--eps', '-1'], ['f.npy', '--method', 'qr'], ['f.npy', '--shape', '3'], []]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(/error:/);
    }
  });
});

describe('effrank rank: malformed input gives one line naming the file, exit code 2, no stack', () => {
  const f = fixture;
  const cases: [string, string[], RegExp][] = [
    ['missing file', [f('missing.npy')], /ERR_INVALID_ARGUMENT: .*missing\.npy: no such file$/],
    ['truncated .npy', [f('bad/truncated.npy')], /truncated\.npy: is truncated: 40×6 <f8 needs 1920 data bytes/],
    ['truncated .npy header', [f('bad/truncated_header.npy')], /truncated_header\.npy: is truncated inside the \.npy header/],
    ['bad magic', [f('bad/bad_magic.npy')], /bad_magic\.npy: not a \.npy file \(bad magic/],
    ['bad header dict', [f('bad/bad_dict.npy')], /bad_dict\.npy: bad \.npy header/],
    ['complex dtype', [f('bad/complex.npy')], /complex\.npy: unsupported dtype '<c16' \(complex\)/],
    ['object dtype', [f('bad/object.npy')], /object\.npy: unsupported dtype '\|O' \(object\)/],
    ['3-d array', [f('bad/3d.npy')], /3d\.npy: holds a 3-d array/],
    ['ragged CSV', [f('bad/ragged.csv')], /ragged\.csv: line 3: ragged: 2 cells, the first row has 3$/],
    ['ragged CSV, streamed', [f('bad/ragged.csv'), '--stream-above', '0'], /ragged\.csv: line 3: ragged/],
    ['non-numeric cell', [f('bad/nonnumeric.csv')], /nonnumeric\.csv: line 3: column 2: not a number: "five"$/],
    ['empty CSV', [f('bad/empty.csv')], /empty\.csv: has no data rows$/],
    ['NaN in a CSV', [f('bad/nan.csv')], /ERR_NON_FINITE: .*nan\.csv: row 2, column 2 is NaN$/],
    ['NaN in a .npy, streamed', [f('bad/nan.npy'), '--stream-above', '0', '--chunk-bytes', '100'], /ERR_NON_FINITE: .*nan\.npy: row 3, column 2 is NaN$/],
    ['raw file, wrong --shape', [f('raw.f64'), '--shape', '40,5'], /raw\.f64: holds 240 float64 values \(1920 bytes\), but shape 40,5 needs 200 \(1600 bytes\)$/],
    ['raw file, no --shape', [f('raw.f32')], /raw\.f32: raw f32 features need their shape: --shape N,n$/],
    ['raw file, odd size', [f('bad/odd.f64'), '--shape', '-1,1'], /odd\.f64: has 7 bytes/],
    ['unknown format', [f('expected.json')], /expected\.json: unknown format '\.json'/],
    ['weights of the wrong length', [f('f64_c.npy'), '--weights', f('bad/weights_short.npy')], /weights_short\.npy: 39 weights, but .*f64_c\.npy has 40 rows$/],
    ['weights of the wrong length, streamed CSV', [f('plain.csv'), '--weights', f('bad/weights_short.npy'), '--stream-above', '0', '--chunk-bytes', '100'], /weights_short\.npy: 39 weights, but .*plain\.csv has at least 40 rows$/],
    ['negative weights', [f('f64_c.npy'), '--weights', f('bad/weights_negative.csv')], /weights_negative\.csv: weight 40 is -1/],
    ['missing weights file', [f('f64_c.npy'), '--weights', f('nope.f64')], /nope\.f64: no such file$/],
    ['2-D weights', [f('f64_c.npy'), '--weights', f('bad/weights_2d.npy')], /weights_2d\.npy: weights must be one column/],
  ];
  for (const [what, args, problem] of cases) {
    it(what, async () => {
      const { code, out, err } = await run(args);
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err.endsWith('\n')).toBe(true);
      const lines = err.slice(0, -1).split('\n');
      expect(lines, err).toHaveLength(1);
      expect(lines[0]).toMatch(/^effrank: ERR_[A-Z_]+: \//);
      expect(lines[0]).toMatch(problem);
      expect(lines[0]).not.toMatch(/\bat .*:\d+:\d+/);
    });
  }
});

function cliHasRank(): boolean {
  if (!existsSync(CLI)) return false;
  const help = spawnSync(process.execPath, [CLI, 'rank', '--help'], { encoding: 'utf8', timeout: 30_000 });
  return help.status === 0 && help.stdout.includes('--stream-above');
}

describe('the built CLI (dist/cli.js)', () => {
  it.skipIf(!cliHasRank())('effrank rank: JSON on stdout; a malformed file gives exit code 2 and one stderr line', () => {
    const ok = spawnSync(process.execPath, [CLI, 'rank', fixture('f32_f.npy'), '--json'], { encoding: 'utf8', timeout: 60_000 });
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    const c = expected.cases['f32_f']!;
    expect(JSON.parse(ok.stdout)).toMatchObject({ N: 40, n: 6, path: 'svd', epsRank: [c.defaultCount], numericalRank: c.numericalRank });
    const bad = spawnSync(process.execPath, [CLI, 'rank', fixture('bad/truncated.npy')], { encoding: 'utf8', timeout: 60_000 });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^effrank: ERR_INVALID_ARGUMENT: .*truncated\.npy: is truncated/)]);
  });
});
