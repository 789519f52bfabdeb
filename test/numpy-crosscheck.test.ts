/**
 * Cross-checks against numpy (Debian's /usr/bin/python3; the first python3 on
 * PATH may lack numpy). Inputs go to numpy as raw little-endian bytes in a
 * temp directory; numpy's results come back the same way, as float64.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countEigenvaluesAbove, eigh, eigvalsh, eigvalshBatched, epsRankDetailed, gram, rankReport, spectrum, svd, svdvals, svdvalsBatched } from '../src/index.js';
import { Rng } from './helpers/rng.js';
import { type Dense, maxAbs, orthonormalityError, randn, reconstructionError, toFloat32, transpose, widen, withSingularValues } from './helpers/linalg.js';

const PYTHON = '/usr/bin/python3';

function numpyAvailable(): boolean {
  const probe = spawnSync(PYTHON, ['-c', 'import numpy'], { encoding: 'utf8', timeout: 30_000 });
  return probe.status === 0;
}

const HAS_NUMPY = numpyAvailable();
if (!HAS_NUMPY) console.warn(`numpy-crosscheck: SKIPPED — ${PYTHON} cannot import numpy`);

const PRELUDE = `
import json, os, sys
import numpy as np
d = sys.argv[1]
meta = json.load(open(os.path.join(d, 'meta.json')))
inp = {k: np.fromfile(os.path.join(d, k + '.bin'), dtype=v['dtype']).reshape(v['shape']) for k, v in meta['inputs'].items()}
params = meta['params']
out = {}

def sign_rows(m):
    """Largest-|.| entry of each row positive (first on ties); returns the flipped matrix and the signs."""
    idx = np.argmax(np.abs(m), axis=1)
    s = np.where(m[np.arange(m.shape[0]), idx] < 0, -1.0, 1.0)
    return m * s[:, None], s
`;

const EPILOGUE = `
for k, v in out.items():
    np.asarray(v, dtype='<f8').ravel().tofile(os.path.join(d, 'out_' + k + '.bin'))
json.dump(sorted(out.keys()), open(os.path.join(d, 'out.json'), 'w'))
`;

type Input = { data: Float32Array | Float64Array; shape: number[] };

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Runs `script` with `inp` (numpy arrays of the inputs' dtypes) and `params`; returns its `out` as Float64Arrays. */
function numpy(script: string, inputs: Record<string, Input>, params: Record<string, unknown> = {}): Record<string, Float64Array> {
  const dir = mkdtempSync(join(tmpdir(), 'effrank-numpy-'));
  dirs.push(dir);
  const meta: { inputs: Record<string, { dtype: string; shape: number[] }>; params: Record<string, unknown> } = { inputs: {}, params };
  for (const [name, { data, shape }] of Object.entries(inputs)) {
    writeFileSync(join(dir, `${name}.bin`), new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    meta.inputs[name] = { dtype: data instanceof Float32Array ? '<f4' : '<f8', shape };
  }
  writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
  const run = spawnSync(PYTHON, ['-c', PRELUDE + script + EPILOGUE, dir], { encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`numpy failed (${run.status}): ${run.stderr}`);
  const names = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as string[];
  const result: Record<string, Float64Array> = {};
  for (const name of names) {
    const bytes = readFileSync(join(dir, `out_${name}.bin`));
    result[name] = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }
  return result;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, relTol: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  const scale = Math.max(maxAbs(expected), 1e-300);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  expect(worst, `${what}: max diff ${worst}, scale ${scale}`).toBeLessThanOrEqual(relTol * scale);
}

const mat = (a: Dense | Dense<Float32Array>): Input => ({ data: a.data, shape: [a.rows, a.cols] });

describe.skipIf(!HAS_NUMPY)('cross-check against numpy.linalg', () => {
  const rng = new Rng(8675309);
  const shapes: [number, number][] = [
    [40, 25],
    [25, 40],
    [33, 33],
    [1, 9],
    [9, 1],
    [1, 1],
  ];
  const rects = shapes.map(([m, n]) => randn(m, n, rng));

  it('singular values (float64 to 1e-12·s_max, float32 to 1e-5·s_max), several shapes', () => {
    const inputs: Record<string, Input> = {};
    rects.forEach((a, i) => {
      inputs[`a${i}`] = mat(a);
      inputs[`f${i}`] = mat(toFloat32(a));
    });
    const ref = numpy(
      `for k, a in inp.items():\n    out[k] = np.linalg.svd(a, compute_uv=False)\n`,
      inputs,
    );
    rects.forEach((a, i) => {
      expectClose(svdvals(a), ref[`a${i}`]!, 1e-12, `svdvals float64 ${a.rows}×${a.cols}`);
      const s32 = svdvals(toFloat32(a));
      expect(s32).toBeInstanceOf(Float32Array);
      expectClose(s32, ref[`f${i}`]!, 1e-5, `svdvals float32 ${a.rows}×${a.cols}`);
    });
  });

  it('thin and full singular vectors, after applying effrank’s sign convention to numpy’s', () => {
    const a = rects[0]!; // 40×25, distinct singular values
    const b = rects[1]!; // 25×40
    const ref = numpy(
      `
for k, x in inp.items():
    for mode, full in (('thin', False), ('full', True)):
        u, s, vt = np.linalg.svd(x, full_matrices=full)
        kk = s.shape[0]
        vt, sg = sign_rows(vt)
        u[:, :kk] = u[:, :kk] * sg[:kk][None, :]
        if u.shape[1] > kk:
            ut, _ = sign_rows(u[:, kk:].T.copy())
            u[:, kk:] = ut.T
        out[k + '_' + mode + '_u'] = u
        out[k + '_' + mode + '_vt'] = vt
        out[k + '_' + mode + '_s'] = s
`,
      { a: mat(a), b: mat(b) },
    );
    for (const [name, x] of [
      ['a', a],
      ['b', b],
    ] as const) {
      for (const mode of ['thin', 'full'] as const) {
        const r = svd(x, { vectors: mode });
        expectClose(r.s, ref[`${name}_${mode}_s`]!, 1e-12, `${name} ${mode} s`);
        expectClose(r.vt!.data, ref[`${name}_${mode}_vt`]!, 1e-9, `${name} ${mode} vt`);
        // Extra columns of a full u span the null space of aᵀ and are not unique beyond their span;
        // compare the first k columns exactly (up to rounding) and the span of the rest via projectors.
        const k = Math.min(x.rows, x.cols);
        const u = r.u!;
        const uRef = ref[`${name}_${mode}_u`]!;
        const uCols = u.cols;
        let worst = 0;
        for (let i = 0; i < x.rows; i++) for (let j = 0; j < k; j++) worst = Math.max(worst, Math.abs(u.data[i * uCols + j]! - uRef[i * uCols + j]!));
        expect(worst, `${name} ${mode} u`).toBeLessThanOrEqual(1e-9);
        if (uCols > k) {
          // P = U₂U₂ᵀ must agree.
          let pw = 0;
          for (let i = 0; i < x.rows; i++) {
            for (let j = 0; j < x.rows; j++) {
              let p = 0;
              let q = 0;
              for (let c = k; c < uCols; c++) {
                p += u.data[i * uCols + c]! * u.data[j * uCols + c]!;
                q += uRef[i * uCols + c]! * uRef[j * uCols + c]!;
              }
              pw = Math.max(pw, Math.abs(p - q));
            }
          }
          expect(pw, `${name} ${mode} null-space projector`).toBeLessThanOrEqual(1e-12);
        }
      }
    }
  });

  // M ≥ 2N (tall, or wide through Aᵀ) takes native/svd_tall.cpp's route: ?geqrt, the SVD of R, ?gemqrt.
  // Cases: random (distinct values: vectors compared after the sign rule), the exact 2N boundary, one
  // column, exact rank 5 of 30, column-graded over 12 orders, entries near 1e300 and 1e-300, and one entry
  // near the overflow threshold (tall and wide).
  it('the QR route of tall and wide matrices (M ≥ 2N): values, vectors and signs against numpy', () => {
    const r2 = new Rng(424242);
    const lowRank = (() => {
      const s = Array.from({ length: 30 }, (_, i) => (i < 5 ? 5 - i : 0));
      return withSingularValues(200, 30, s, r2);
    })();
    const graded = randn(180, 13, r2);
    for (let i = 0; i < graded.rows; i++) for (let j = 0; j < graded.cols; j++) graded.data[i * graded.cols + j]! *= 10 ** -j;
    const scaled = (a: Dense, f: number): Dense => ({ ...a, data: a.data.map((x) => x * f) });
    const base = randn(300, 40, r2);
    // One entry near the overflow threshold, the rest 12 orders below: the Householder norms overflow unless scaled first.
    const nearMax = scaled(randn(100, 10, r2), 1e296);
    nearMax.data[0] = 1.5e308;
    const cases: [string, Dense][] = [
      ['tall', base],
      ['wide', randn(36, 300, r2)],
      ['boundary', randn(64, 32, r2)],
      ['column', randn(300, 1, r2)], // M·N = 300: above the small path's 160, so the native route with N = 1
      ['lowrank', lowRank],
      ['graded', graded],
      ['huge', scaled(base, 1e300)],
      ['tiny', scaled(base, 1e-300)],
      ['nearmax', nearMax],
      ['nearmaxwide', transpose(nearMax)],
    ];
    // 1e±300 is outside float32's range: those two are float64 only.
    const inFloat32 = (name: string) => !['huge', 'tiny', 'nearmax', 'nearmaxwide'].includes(name);
    const inputs: Record<string, Input> = {};
    for (const [name, a] of cases) {
      inputs[name] = mat(a);
      if (inFloat32(name)) inputs[`${name}32`] = mat(toFloat32(a));
    }
    const ref = numpy(
      `
for k, x in inp.items():
    u, s, vt = np.linalg.svd(x.astype(np.float64), full_matrices=False)
    vt, sg = sign_rows(vt)
    out[k + '_s'] = s
    out[k + '_u'] = u * sg[None, :]
    out[k + '_vt'] = vt
`,
      inputs,
    );
    for (const [name, a] of cases) {
      const k = Math.min(a.rows, a.cols);
      const r = svd(a);
      const sRef = ref[`${name}_s`]!;
      expectClose(r.s, sRef, 1e-13, `${name} s`);
      expectClose(svdvals(a), sRef, 1e-13, `${name} svdvals`);
      const scale = a.data.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
      const unit = (d: Dense) => ({ ...d, data: d.data.map((x) => x / scale) });
      expect(reconstructionError(unit(a), r.u!, Array.from(r.s, (x) => x / scale), r.vt!), `${name} reconstruction`).toBeLessThan(1e-14);
      expect(orthonormalityError(r.u!, 'cols'), `${name} uᵀu`).toBeLessThan(1e-13);
      expect(orthonormalityError(r.vt!, 'rows'), `${name} vt·vtᵀ`).toBeLessThan(1e-13);
      // Vectors are unique (up to the sign rule) only for distinct values well above rounding.
      const gaps = Array.from({ length: k }, (_, j) => Math.min(j > 0 ? sRef[j - 1]! - sRef[j]! : Infinity, j < k - 1 ? sRef[j]! - sRef[j + 1]! : Infinity) / sRef[0]!);
      const uRef = ref[`${name}_u`]!;
      const vtRef = ref[`${name}_vt`]!;
      let worstU = 0;
      let worstV = 0;
      for (let j = 0; j < k; j++) {
        if (gaps[j]! < 1e-3 || sRef[j]! < 1e-6 * sRef[0]!) continue;
        for (let i = 0; i < a.rows; i++) worstU = Math.max(worstU, Math.abs(r.u!.data[i * k + j]! - uRef[i * k + j]!));
        for (let i = 0; i < a.cols; i++) worstV = Math.max(worstV, Math.abs(r.vt!.data[j * a.cols + i]! - vtRef[j * a.cols + i]!));
      }
      expect(worstU, `${name} u`).toBeLessThan(1e-9);
      expect(worstV, `${name} vt`).toBeLessThan(1e-9);

      if (!inFloat32(name)) continue;
      const a32 = toFloat32(a);
      const r32 = svd(a32);
      expect(r32.s).toBeInstanceOf(Float32Array);
      expectClose(r32.s, ref[`${name}32_s`]!, 2e-6, `${name} float32 s`);
      expectClose(svdvals(a32), ref[`${name}32_s`]!, 2e-6, `${name} float32 svdvals`);
      expect(orthonormalityError(widen(r32.u!), 'cols'), `${name} float32 uᵀu`).toBeLessThan(1e-5);
      expect(orthonormalityError(widen(r32.vt!), 'rows'), `${name} float32 vt·vtᵀ`).toBeLessThan(1e-5);
      expect(reconstructionError(unit(a), widen(r32.u!), Array.from(r32.s, (x) => x / scale), widen(r32.vt!)), `${name} float32 reconstruction`).toBeLessThan(1e-5);
    }
    // Exact rank 5: the other 25 values are rounding-level, as numpy's.
    const low = svdvals(lowRank);
    expect(low[4]!).toBeCloseTo(1, 12);
    expect(Math.max(...Array.from(low).slice(5))).toBeLessThan(1e-14 * 5);
    // Column grading: the smallest value (about 1e-12 of the largest) keeps its relative accuracy to 1e-3 at least.
    const g = svdvals(graded);
    const gRef = ref['graded_s']!;
    expect(Math.abs(g[12]! - gRef[12]!) / gRef[12]!).toBeLessThan(1e-3);
  });

  it('eigenvalues and eigenvectors of the lower triangle (numpy UPLO="L"), float64 and float32', () => {
    // Deliberately NOT symmetric: both libraries must read only the lower triangle.
    const n = 30;
    const a = randn(n, n, rng);
    const ref = numpy(
      `
x = inp['a']
w, v = np.linalg.eigh(x)
vt, _ = sign_rows(v.T.copy())
out['w'] = w
out['v'] = vt.T
out['w_only'] = np.linalg.eigvalsh(x)
out['w32'] = np.linalg.eigvalsh(inp['f'])
out['count'] = np.array([np.sum(out['w_only'] > t) for t in params['thresholds']], dtype=float)
`,
      { a: mat(a), f: mat(toFloat32(a)) },
      { thresholds: [-100, -3.3, -1.1, 0.05, 2.2, 4.4, 100] },
    );
    const r = eigh(a);
    expectClose(r.values, ref.w!, 1e-12, 'eigh values');
    expectClose(r.vectors!.data, ref.v!, 1e-9, 'eigh vectors (sign convention applied to numpy)');
    expectClose(eigvalsh(a), ref.w_only!, 1e-12, 'eigvalsh');
    const e32 = eigvalsh(toFloat32(a));
    expect(e32).toBeInstanceOf(Float32Array);
    expectClose(e32, ref.w32!, 1e-5, 'eigvalsh float32');
    // Thresholds are used only where numpy's eigenvalues are far from them.
    const thresholds = [-100, -3.3, -1.1, 0.05, 2.2, 4.4, 100];
    let checked = 0;
    thresholds.forEach((t, i) => {
      const gap = Math.min(...Array.from(ref.w_only!, (x) => Math.abs(x - t)));
      if (gap > 1e-6) {
        expect(countEigenvaluesAbove(a, t), `threshold ${t}`).toBe(ref.count![i]!);
        checked++;
      }
    });
    expect(checked).toBeGreaterThanOrEqual(5);
  });

  it('Gram matrices: both sides, weights and scale; float64, float32 and float32 accumulated in float64', () => {
    const a = randn(300, 140, rng);
    const wCols = Float64Array.from({ length: 300 }, () => rng.range(0, 2));
    const wRows = Float64Array.from({ length: 140 }, () => rng.range(0, 2));
    const ref = numpy(
      `
x = inp['a']; f = inp['f']; wc = inp['wc']; wr = inp['wr']; s = params['scale']
out['cols'] = x.T @ x
out['rows'] = x @ x.T
out['cols_w'] = s * (x.T @ (wc[:, None] * x))
out['rows_w'] = s * ((x * wr[None, :]) @ x.T)
f64 = f.astype(np.float64)
out['f_cols'] = f.T @ f
out['f_wide_w'] = s * (f64.T @ (wc[:, None] * f64))
`,
      { a: mat(a), f: mat(toFloat32(a)), wc: { data: wCols, shape: [300] }, wr: { data: wRows, shape: [140] } },
      { scale: 0.25 },
    );
    expectClose(gram(a).data, ref.cols!, 1e-12, 'gram cols');
    expectClose(gram(a, { side: 'rows' }).data, ref.rows!, 1e-12, 'gram rows');
    expectClose(gram(a, { weights: wCols, scale: 0.25 }).data, ref.cols_w!, 1e-12, 'gram cols weighted');
    expectClose(gram(a, { side: 'rows', weights: wRows, scale: 0.25 }).data, ref.rows_w!, 1e-12, 'gram rows weighted');
    const f = toFloat32(a);
    const g32 = gram(f);
    expect(g32.data).toBeInstanceOf(Float32Array);
    expectClose(g32.data, ref.f_cols!, 1e-5, 'gram float32');
    const wide = gram(f, { weights: wCols, scale: 0.25, accumulate: 'float64' });
    expect(wide.data).toBeInstanceOf(Float64Array);
    expectClose(wide.data, ref.f_wide_w!, 1e-12, 'gram float32 → float64');
  });

  it('batched spectra equal numpy’s stacked linalg on the same batch', () => {
    const count = 12;
    const rectBatch = rng.normals(count * 7 * 5);
    const symBatch = rng.normals(count * 6 * 6);
    const ref = numpy(
      `
out['s'] = np.linalg.svd(inp['r'], compute_uv=False)
out['w'] = np.linalg.eigvalsh(inp['q'])
out['s32'] = np.linalg.svd(inp['r32'], compute_uv=False)
`,
      {
        r: { data: rectBatch, shape: [count, 7, 5] },
        q: { data: symBatch, shape: [count, 6, 6] },
        r32: { data: Float32Array.from(rectBatch), shape: [count, 7, 5] },
      },
    );
    expectClose(svdvalsBatched({ data: rectBatch, count, rows: 7, cols: 5 }).data, ref.s!, 1e-12, 'svdvalsBatched');
    expectClose(eigvalshBatched({ data: symBatch, count, n: 6 }).data, ref.w!, 1e-12, 'eigvalshBatched');
    expectClose(
      svdvalsBatched({ data: Float32Array.from(rectBatch), count, rows: 7, cols: 5 }).data,
      ref.s32!,
      1e-5,
      'svdvalsBatched float32',
    );
  });
});

describe.skipIf(!HAS_NUMPY)('the spectrum engine against numpy: centred, weighted, primal and dual', () => {
  const rng = new Rng(4242);
  // numpy's own route: the weighted mean, the centred Gram (or dual kernel), eigvalsh.
  const script = `
X = inp['x']; w = inp['w'][:, 0]; scale = params['scale']
mu = (w @ X) / w.sum()
Xc = X - mu
M = scale * (Xc.T * w) @ Xc
lam = np.sort(np.linalg.eigvalsh(M))[::-1]
out['lam'] = lam
if X.shape[0] < X.shape[1]:
    S = np.sqrt(w)[:, None] * Xc
    K = scale * S @ S.T
    out['dual'] = np.sort(np.linalg.eigvalsh(K))[::-1]
`;
  for (const [N, n] of [[80, 30], [30, 80]] as const) {
    it(`${N}×${n}: every eigenvalue of M to 1e-12·λ_max${N < n ? ', through the N×N dual kernel' : ''}`, () => {
      // Columns far from zero mean, so centring matters.
      const x = randn(N, n, rng);
      for (let i = 0; i < N; i++) for (let j = 0; j < n; j++) x.data[i * n + j]! += 3 + j / n;
      const w = Float64Array.from({ length: N }, () => 0.2 + rng.range(0, 2));
      const ref = numpy(script, { x: mat(x), w: { data: w, shape: [N, 1] } }, { scale: 1.7 });
      const options = { weights: w, scale: 1.7, center: true };
      const ours = spectrum(x, options);
      expect(ours.length).toBe(n);
      expectClose(ours, ref.lam!, 1e-12, 'spectrum, centred and weighted');
      if (ref.dual) expectClose(ours.subarray(0, N), ref.dual, 1e-12, 'the dual kernel’s eigenvalues');
      const d = epsRankDetailed(x, { ...options, eps: [1e-3, 1], relative: true });
      expect(d.side).toBe(N < n ? 'dual' : 'primal');
      expect(d.counts).toEqual([1e-3, 1].map((e) => Array.from(ref.lam!).filter((l) => l > e * ref.lam![0]!).length));
    });
  }

  it('the numerical rank of centred float32 features equals numpy’s matrix_rank on the features it centres', () => {
    // Rank 12 plus a large column offset: the centred matrix has rank 12; centring inaccurately shows as extra rank.
    const N = 300;
    const n = 24;
    const a = randn(N, 12, rng);
    const b = randn(12, n, rng);
    const x32 = new Float32Array(N * n);
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < n; j++) {
        let v = 50 + j;
        for (let k = 0; k < 12; k++) v += a.data[i * 12 + k]! * b.data[k * n + j]!;
        x32[i * n + j] = v;
      }
    }
    const ref = numpy(
      `
X = inp['x'].astype(np.float64)
Xc = (X - X.mean(axis=0)).astype(np.float32)
out['rank'] = [np.linalg.matrix_rank(Xc)]
`,
      { x: { data: x32, shape: [N, n] } },
    );
    const r = rankReport({ data: x32, rows: N, cols: n }, { eps: 1e-3, center: true });
    expect(ref.rank![0]).toBe(12);
    expect(r.numericalRank).toBe(12);
  });
});

