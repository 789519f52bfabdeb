/** Fuzz targets: the drop-in adapters (src/compat/*.ts). */
import fc from 'fast-check';
import { Matrix as MlMatrix } from 'ml-matrix';

import * as MlCompat from '../../src/compat/ml-matrix.js';
import * as NumericCompat from '../../src/compat/numeric.js';
import * as SvdJsCompat from '../../src/compat/svd-js.js';
import {
  type Expect,
  type Stats,
  allFinite,
  ensure,
  ensureCount,
  ensureDescending,
  ensureFinite,
  ensureNonNegative,
  frobenius,
  maxAbs,
  preview,
  tolerance,
  verify,
} from './checks.js';
import { type Facts, type MatrixDesc, junk, matrixDesc, optionValue, optionsArg } from './inputs.js';
import { type Target, build, expectFor, riskOf, syncTarget } from './target.js';

function rows2D(x: unknown, rows: number, cols: number, what: string): number[][] {
  ensure(Array.isArray(x) && x.length === rows, () => `${what} has ${Array.isArray(x) ? x.length : preview(x)} rows, expected ${rows}`);
  for (const r of x as unknown[]) ensure(Array.isArray(r) && r.length === cols, () => `${what} rows are not ${cols} long`);
  return x as number[][];
}

function flat(a: number[][]): number[] {
  return a.flat();
}

/** σ checks shared by the adapters: length, order, sign, and σ_max against max|a| and ‖a‖_F. */
function checkValues(s: ArrayLike<number>, f: Facts, length: number, risk: boolean, what: string, flushed = false): void {
  ensure(s.length === length, () => `${what} has ${s.length} values, expected ${length}`);
  if (risk) return;
  ensureFinite(s, what);
  ensureNonNegative(s, what);
  ensureDescending(s, what);
  const { rel, tiny } = tolerance('f64');
  const fro = frobenius(f.values);
  const big = maxAbs(f.values);
  const top = s[0] ?? 0;
  ensure(top <= fro * (1 + rel) + tiny, () => `${what}[0] = ${top} > ‖a‖_F = ${fro}`);
  if (!flushed) ensure(top >= big * (1 - 1e-7) - tiny, () => `${what}[0] = ${top} < max|a| = ${big}`);
}

// ---------------------------------------------------------------------------
// svd-js

function svdJsTarget(): Target {
  const flag = fc.constantFrom<unknown>(undefined, true, false, 'f', null, 0, 1, '', 'yes');
  const epsArg = fc.oneof(fc.constantFrom<unknown>(undefined, 0, 2 ** -52, 1e-10, 1e-3, 1, -1, Number.NaN, Number.POSITIVE_INFINITY, '1e-9'), junk);
  return syncTarget('compat/svd-js SVD', ['compat/svd-js:SVD'], [matrixDesc(), flag, flag, epsArg, fc.anything()], (stats, d, withu, withv, eps, tol) => {
    const { input, facts } = build(d);
    const risk = riskOf(facts);
    // eps is coerced like svd-js does (Number(eps) || 2⁻⁵²); what cannot be coerced is ERR_INVALID_ARGUMENT.
    const epsPlain = eps === undefined || eps === null || ['number', 'string', 'boolean'].includes(typeof eps);
    // svd-js's own check, kept by the adapter: a missing matrix is a TypeError.
    const missing = !input;
    verify(
      stats,
      () => SvdJsCompat.SVD(input as never, withu as never, withv as never, eps as never, tol as never),
      missing ? 'any' : epsPlain ? expectFor(facts, true, true, risk) : facts && !risk && allFinite(facts.values) ? 'ok|ERR_INVALID_ARGUMENT' : 'any',
      (v) => {
        const { rows: m, cols: n } = facts!;
        const r = v as SvdJsCompat.SvdJsResult;
        rows2D(r.u, m, withu === 'f' ? m : n, 'u');
        rows2D(r.v, n, n, 'v');
        // eps only moves which values are flushed to exactly 0; a weird eps may flush all of them.
        const flushed = !(typeof eps === 'number' && eps >= 0 && eps <= 1e-3) || m < n;
        checkValues(r.q, facts!, n, risk, 'q', flushed);
        if (!risk) {
          ensureFinite(flat(r.u), 'u');
          ensureFinite(flat(r.v), 'v');
        }
      },
      { allowForeign: (e) => missing && e instanceof TypeError && e.message === 'Matrix a is not defined' },
    );
  });
}

// ---------------------------------------------------------------------------
// numeric

function numericTarget(): Target {
  return syncTarget('compat/numeric svd', ['compat/numeric:svd', 'compat/numeric:numeric', 'compat/numeric:default'], [matrixDesc(), fc.constantFrom('svd', 'numeric.svd', 'default.svd')], (stats, d, via) => {
    const { input, facts } = build(d);
    const risk = riskOf(facts);
    const fn = via === 'svd' ? NumericCompat.svd : via === 'numeric.svd' ? NumericCompat.numeric.svd : NumericCompat.default.svd;
    verify(stats, () => fn(input as never), expectFor(facts, true, true, risk), (v) => {
      const { rows: m, cols: n } = facts!;
      const r = v as NumericCompat.NumericSvdResult;
      rows2D(r.U, m, n, 'U');
      rows2D(r.V, n, n, 'V');
      checkValues(r.S, facts!, n, risk, 'S', m < n);
      if (!risk) {
        ensureFinite(flat(r.U), 'U');
        ensureFinite(flat(r.V), 'V');
      }
    });
  });
}

// ---------------------------------------------------------------------------
// ml-matrix

type MlInput = { kind: 'desc'; d: MatrixDesc } | { kind: 'ml'; d: MatrixDesc } | { kind: 'source'; rows: unknown; columns: unknown; entry: unknown } | { kind: 'empty'; shape: [number, number] };

const mlInput: fc.Arbitrary<MlInput> = fc.oneof(
  { weight: 6, arbitrary: matrixDesc().map((d) => ({ kind: 'desc' as const, d })) },
  { weight: 4, arbitrary: matrixDesc().map((d) => ({ kind: 'ml' as const, d })) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('source' as const),
      rows: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constantFrom<unknown>(-1, 1.5, Number.NaN, 2 ** 31, '2')),
      columns: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constantFrom<unknown>(-1, 1.5, Number.NaN, 2 ** 31, '2')),
      entry: fc.oneof(fc.double(), fc.constantFrom<unknown>('1', null, undefined, 1n)),
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom<[number, number]>([0, 0], [0, 3], [3, 0]).map((shape) => ({ kind: 'empty' as const, shape })) },
);

/** Builds the input and what an independent reader sees in it (null: not a valid matrix). */
function buildMl(x: MlInput): { input: unknown; facts: Facts | null; empty: boolean } {
  if (x.kind === 'desc' || (x.kind === 'ml' && !build(x.d).facts)) {
    const b = build(x.d);
    // ml-matrix's notion of empty: [] or a first row of length 0.
    const first: unknown = Array.isArray(b.input) ? b.input[0] : undefined;
    const empty = Array.isArray(b.input) && (b.input.length === 0 || ((Array.isArray(first) || ArrayBuffer.isView(first)) && (first as ArrayLike<unknown>).length === 0));
    return { ...b, empty };
  }
  if (x.kind === 'empty') return { input: new MlMatrix(x.shape[0], x.shape[1]), facts: null, empty: true };
  if (x.kind === 'source') {
    const { rows, columns, entry } = x;
    const source = { rows, columns, get: () => entry };
    const valid = typeof rows === 'number' && typeof columns === 'number' && Number.isInteger(rows) && Number.isInteger(columns) && rows > 0 && columns > 0 && rows * columns < 1e6 && typeof entry === 'number';
    const dim = (d: unknown) => typeof d === 'number' && Number.isInteger(d) && d >= 0 && d <= 2 ** 31 - 1;
    const empty = (rows === 0 || columns === 0) && dim(rows) && dim(columns);
    const facts: Facts | null = valid ? { rows, cols: columns, dtype: 'f64', values: new Float64Array(rows * columns).fill(entry) } : null;
    return { input: source, facts, empty };
  }
  const b = build(x.d);
  if (!b.facts) return { ...b, empty: false }; // not reached: handled as 'desc' above
  // The same entries as a real ml-matrix Matrix.
  const f = b.facts;
  return { input: MlMatrix.from1DArray(f.rows, f.cols, Array.from(f.values)), facts: f, empty: false };
}

function mlTargets(): Target[] {
  const svdOptions = optionsArg({
    computeLeftSingularVectors: optionValue([true, false, undefined], [0, 1, 'no']),
    computeRightSingularVectors: optionValue([true, false, undefined], [0, 1, 'no']),
    autoTranspose: optionValue([true, false, undefined], [1]),
  });
  const rhs = fc.oneof(
    fc.constant<unknown>('matching'),
    fc.constant<unknown>('vector'),
    fc.constantFrom<unknown>('wrong', null, [], [[1]], 'text'),
    junk,
  );
  const svd = syncTarget(
    'compat/ml-matrix SingularValueDecomposition',
    ['compat/ml-matrix:SingularValueDecomposition', 'compat/ml-matrix:SVD'],
    [mlInput, svdOptions, rhs, fc.boolean()],
    (stats, x, o, b, alias) => {
      const { input, facts, empty } = buildMl(x);
      const risk = riskOf(facts);
      const Ctor = alias ? MlCompat.SVD : MlCompat.SingularValueDecomposition;
      let made: MlCompat.SingularValueDecomposition | undefined;
      const expect: Expect = empty ? 'ERR_INVALID_SHAPE' : expectFor(facts, true, true, risk);
      verify(stats, () => (made = new Ctor(input as never, o.v as never)), expect, (v) => {
        const r = v as MlCompat.SingularValueDecomposition;
        const { rows: m, cols: n } = facts!;
        const k = Math.min(m, n);
        ensure(r.m === m && r.n === n, 'm/n');
        ensure(r.U.rows === m && r.U.columns === k && r.V.rows === n && r.V.columns === k, 'U/V shapes');
        checkValues(r.s, facts!, k, risk, 's', true);
        if (risk) return;
        ensureCount(r.rank, k, 'rank');
        ensure(r.diagonal.length === k && r.diagonalMatrix.rows === k, 'diagonal');
        ensureFinite(r.U.to1DArray(), 'U');
        ensureFinite(r.V.to1DArray(), 'V');
      });
      if (!made || risk) return;
      const svdOf = made;
      const { rows: m, cols: n } = facts!;
      verify(stats, () => svdOf.inverse(), 'ok', (v) => {
        const p = v as MlCompat.CompatMatrix;
        ensure(p.rows === n && p.columns === m, 'inverse shape');
      });
      const rhsValue = b === 'matching' ? Array.from({ length: m }, (_, i) => [i + 1, -i]) : b === 'vector' ? Array.from({ length: m }, (_, i) => i) : b;
      const rhsOk = b === 'matching' || b === 'vector';
      verify(stats, () => svdOf.solve(rhsValue as never), rhsOk ? 'ok' : 'any', (v) => {
        const p = v as MlCompat.CompatMatrix;
        if (rhsOk) ensure(p.rows === n && p.columns === (b === 'matching' ? 2 : 1), 'solve shape');
      });
    },
  );
  const pinv = syncTarget(
    'compat/ml-matrix pseudoInverse',
    ['compat/ml-matrix:pseudoInverse'],
    [mlInput, fc.oneof(fc.constantFrom<unknown>(undefined, Number.EPSILON, 0, 1e-6, 1), fc.constantFrom<unknown>(-1, Number.NaN, '1'))],
    (stats, x, t) => {
      const { input, facts, empty } = buildMl(x);
      const risk = riskOf(facts);
      verify(stats, () => MlCompat.pseudoInverse(input as never, t as never), empty ? 'ok' : expectFor(facts, true, true, risk), (v) => {
        const p = v as MlCompat.CompatMatrix;
        if (empty || !facts) return;
        ensure(p.rows === facts.cols && p.columns === facts.rows, () => `pseudoInverse is ${p.rows}×${p.columns}`);
        // 1/σ overflows when the kept σ are below ~1e-308: only then may the pseudo-inverse hold ±Infinity.
        const overflow = frobenius(facts.values) < 1e-280 || !(t === undefined || (typeof t === 'number' && t >= 1e-300));
        if (!risk && !overflow) ensureFinite(p.to1DArray(), 'pseudoInverse');
      });
    },
  );
  const dense = syncTarget(
    'compat/ml-matrix DenseMatrix',
    ['compat/ml-matrix:DenseMatrix'],
    [
      fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom<unknown>(-1, 1.5, Number.NaN, 2 ** 31, 2 ** 53, 1e308, '2', null)),
      fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom<unknown>(-1, 1.5, Number.NaN, 2 ** 31, 2 ** 53, 1e308, '2', null)),
      fc.oneof(fc.constant<unknown>(undefined), fc.array(fc.double(), { maxLength: 30 }), junk),
      mlInput,
    ],
    (stats, rows, cols, values, other) => {
      const small =
        typeof rows === 'number' && typeof cols === 'number' && Number.isInteger(rows) && Number.isInteger(cols) &&
        rows >= 0 && cols >= 0 && rows <= 2 ** 31 - 1 && cols <= 2 ** 31 - 1 && rows * cols <= 30;
      const fits = values === undefined || (Array.isArray(values) && values.length === (rows as number) * (cols as number) && values.every((v) => typeof v === 'number'));
      let made: MlCompat.DenseMatrix | undefined;
      verify(stats, () => (made = new MlCompat.DenseMatrix(rows as never, cols as never, values as never)), small && fits ? 'ok' : 'any', (v) => {
        const d = v as MlCompat.DenseMatrix;
        ensure(d.rows === rows && d.columns === cols && d.to1DArray().length === d.size, 'DenseMatrix shape');
      });
      const o = buildMl(other);
      verify(stats, () => MlCompat.DenseMatrix.from2DArray(o.input as never), 'any', (v) => ensure(v instanceof MlCompat.DenseMatrix, 'from2DArray'));
      if (made) {
        const m = made;
        verify(stats, () => m.mmul(o.input as never), 'any', (v) => ensure(v instanceof MlCompat.DenseMatrix && v.rows === m.rows, 'mmul shape'));
        verify(stats, () => m.transpose().transpose().to2DArray(), 'ok', (v) => ensure(JSON.stringify(v) === JSON.stringify(m.to2DArray()), 'transpose twice'));
      }
    },
  );
  const setClass = syncTarget(
    'compat/ml-matrix setMatrixClass',
    ['compat/ml-matrix:setMatrixClass'],
    [fc.oneof(fc.constantFrom<unknown>('auto', 'plain', 'ml', 'dense', 'custom'), fc.constantFrom<unknown>('Auto', null, undefined, {}, { from1DArray: 1 }, 5)), matrixDesc({ maxDim: 4 })],
    (stats, cls, d) => {
      const value = cls === 'ml' ? MlMatrix : cls === 'dense' ? MlCompat.DenseMatrix : cls === 'custom' ? { from1DArray: (r: number, c: number, data: ArrayLike<number>) => MlCompat.DenseMatrix.from1DArray(r, c, data) } : cls;
      const valid = ['auto', 'plain', 'ml', 'dense', 'custom'].includes(cls as string);
      try {
        verify(stats, () => MlCompat.setMatrixClass(value as never), valid ? 'ok' : 'ERR_INVALID_ARGUMENT', () => {});
        const { input, facts } = build(d);
        verify(stats, () => new MlCompat.SingularValueDecomposition(input as never), expectFor(facts, true, true, riskOf(facts)), (v) => {
          const U = (v as MlCompat.SingularValueDecomposition).U;
          ensure(typeof U.get === 'function' && U.rows === facts!.rows, 'U built by the chosen class');
        });
      } finally {
        MlCompat.setMatrixClass('auto');
      }
    },
  );
  // inverse/solve with useSVD (effrank's SVD); without it they are ml-matrix's own LU/QR, whose errors are its own.
  const functions = syncTarget(
    'compat/ml-matrix inverse, solve, linearDependencies',
    ['compat/ml-matrix:inverse', 'compat/ml-matrix:solve', 'compat/ml-matrix:linearDependencies'],
    [mlInput, fc.constantFrom('inverse', 'solve', 'linearDependencies')],
    (stats, x, fn) => {
      const { input, facts, empty } = buildMl(x);
      const risk = riskOf(facts);
      const expect: Expect = empty ? 'ERR_INVALID_SHAPE' : expectFor(facts, true, true, risk);
      if (fn === 'inverse') {
        verify(stats, () => MlCompat.inverse(input as never, true), expect, (v) => {
          const p = v as MlCompat.CompatMatrix;
          ensure(p.rows === facts!.cols && p.columns === facts!.rows, 'inverse shape');
        });
      } else if (fn === 'solve') {
        const rhs = facts ? Array.from({ length: facts.rows }, (_, i) => [i % 3]) : [[1]];
        verify(stats, () => MlCompat.solve(input as never, rhs as never, true), expect, (v) => {
          const p = v as MlCompat.CompatMatrix;
          ensure(p.rows === facts!.cols && p.columns === 1, 'solve shape');
        });
      } else {
        // One SVD per row: keep it to small inputs (the size checks come before any of them).
        if (facts && facts.rows * facts.cols > 400) return;
        verify(stats, () => MlCompat.linearDependencies(input as never), expect, (v) => {
          const p = v as MlCompat.CompatMatrix;
          ensure(p.rows === facts!.rows && p.columns === facts!.rows, 'linearDependencies shape');
          if (!risk) ensureFinite(p.to1DArray(), 'linearDependencies');
        });
      }
    },
  );
  return [svd, pinv, dense, setClass, functions];
}

export function compatTargets(): Target[] {
  return [svdJsTarget(), numericTarget(), ...mlTargets()];
}

/** The exports of each fuzzed module, for the coverage check. */
export async function moduleExports(): Promise<Record<string, string[]>> {
  const index = await import('../../src/index.js');
  const out: Record<string, string[]> = {
    index: Object.keys(index),
    'compat/svd-js': Object.keys(SvdJsCompat),
    'compat/numeric': Object.keys(NumericCompat),
    'compat/ml-matrix': Object.keys(MlCompat),
  };
  return out;
}

/** Exports that are not entry points (constants, an error class), with the reason. */
export const NOT_ENTRY_POINTS: Record<string, string> = {
  'index:ERROR_CODES': 'a constant array',
  'index:EffrankError': 'the error class itself (checked by every target: each error must be one)',
  ...Object.fromEntries(
    [
      'AbstractMatrix', 'Matrix', 'SymmetricMatrix', 'DistanceMatrix', 'MatrixColumnView', 'MatrixColumnSelectionView',
      'MatrixFlipColumnView', 'MatrixFlipRowView', 'MatrixRowView', 'MatrixRowSelectionView', 'MatrixSelectionView',
      'MatrixSubView', 'MatrixTransposeView', 'WrapperMatrix1D', 'WrapperMatrix2D', 'wrap', 'CholeskyDecomposition', 'CHO',
      'EigenvalueDecomposition', 'EVD', 'LuDecomposition', 'LU', 'QrDecomposition', 'QR', 'Nipals', 'NIPALS',
      'correlation', 'covariance', 'determinant', 'default',
    ].map((name) => [`compat/ml-matrix:${name}`, "ml-matrix's own API, re-exported unchanged (not effrank code)"]),
  ),
};

