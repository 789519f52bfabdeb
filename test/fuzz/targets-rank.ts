/**
 * Fuzz targets: the rank front of src/index.ts (epsRank…, spectrum,
 * rankReport, the measures, spectrum tagging, threshold counts,
 * detectStaircase) and GramAccumulator (constructor, add/addAsync, merge,
 * toBuffer/fromBuffer, the Gram getters).
 */
import fc from 'fast-check';

import * as E from '../../src/index.js';
import {
  type Expect,
  type Stats,
  allFinite,
  ensure,
  ensureArray,
  ensureCount,
  ensureDescending,
  ensureFinite,
  ensureNonNegative,
  frobenius,
  maxAbs,
  overflowRisk,
  preview,
  verify,
  verifyAsync,
} from './checks.js';
import {
  type BytesDesc,
  type DType,
  type MatrixDesc,
  type Opt,
  type WeightsDesc,
  SPECIALS,
  buildArray,
  buildBytes,
  buildWeights,
  bytesDesc,
  cleanEntry,
  junk,
  matrixDesc,
  optionFrom,
  optionValue,
  spicyEntry,
  weightsDesc,
} from './inputs.js';
import { type After, type Built, type Target, afterArb, asyncTarget, build, disturb, syncTarget, weightFacts } from './target.js';

// ---------------------------------------------------------------------------
// Features: a matrix, or a GramAccumulator built from clean chunks.

interface AccDesc {
  n: number;
  chunks: { values: number[]; rows: number; dtype: DType; weights: number[] | null }[];
}

const accDesc: fc.Arbitrary<AccDesc> = fc.integer({ min: 1, max: 5 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    chunks: fc.array(
      fc.integer({ min: 1, max: 4 }).chain((rows) =>
        fc.record({
          rows: fc.constant(rows),
          values: fc.array(cleanEntry, { minLength: rows * n, maxLength: rows * n }),
          dtype: fc.constantFrom<DType>('f64', 'f32'),
          weights: fc.option(fc.array(fc.double({ min: 0, max: 4, noNaN: true }), { minLength: rows, maxLength: rows })),
        }),
      ),
      { maxLength: 3 },
    ),
  }),
);

type FeaturesDesc = { kind: 'matrix'; d: MatrixDesc } | { kind: 'acc'; d: AccDesc };
const featuresDesc: fc.Arbitrary<FeaturesDesc> = fc.oneof(
  { weight: 6, arbitrary: matrixDesc().map((d) => ({ kind: 'matrix' as const, d })) },
  { weight: 2, arbitrary: accDesc.map((d) => ({ kind: 'acc' as const, d })) },
);

interface FeatureFacts {
  /** Well-formed features (a valid matrix or an accumulator). */
  ok: boolean;
  acc: E.GramAccumulator | null;
  rows: number;
  cols: number;
  dtype: 'float32' | 'float64';
  finite: boolean;
  /** max|φ| (matrix) or max|G| (accumulator), for the overflow risk and the λ_max bound. */
  values: Float64Array | null;
  /** trace(Φᵀ·diag(w)·Φ) without the weights, for the λ_max bound. */
  trace: number;
}

function buildAcc(d: AccDesc): E.GramAccumulator {
  const acc = new E.GramAccumulator(d.n);
  for (const c of d.chunks) {
    const data = buildArray(c.dtype, c.values, 'plain') as Float64Array;
    acc.add({ data, rows: c.rows, cols: d.n }, c.weights ?? undefined);
  }
  return acc;
}

function buildFeatures(f: FeaturesDesc): { input: unknown; facts: FeatureFacts } {
  if (f.kind === 'acc') {
    const acc = buildAcc(f.d);
    const g = acc.gram().data;
    let trace = 0;
    for (let i = 0; i < acc.n; i++) trace += g[i * acc.n + i]!;
    return { input: acc, facts: { ok: true, acc, rows: acc.rows, cols: acc.n, dtype: 'float64', finite: allFinite(g), values: g, trace } };
  }
  const b: Built = build(f.d);
  const m = b.facts;
  if (!m) return { input: b.input, facts: { ok: false, acc: null, rows: 0, cols: 0, dtype: 'float64', finite: false, values: null, trace: 0 } };
  let trace = 0;
  for (const v of m.values) trace += v * v;
  return {
    input: b.input,
    facts: { ok: true, acc: null, rows: m.rows, cols: m.cols, dtype: m.dtype === 'f32' ? 'float32' : 'float64', finite: allFinite(m.values), values: m.values, trace },
  };
}

// ---------------------------------------------------------------------------
// Options shared by epsRank, spectrum and rankReport

const positive = fc.oneof(fc.double({ min: 1e-12, max: 1e3, noNaN: true }), fc.constantFrom(1e-300, 5e-324, 1e-3, 0.5, 1, 1e6));
const epsArb: fc.Arbitrary<Opt> = optionFrom(
  fc.oneof(
    { weight: 4, arbitrary: positive },
    { weight: 2, arbitrary: fc.array(positive, { minLength: 1, maxLength: 4 }) },
    { weight: 1, arbitrary: fc.array(positive, { minLength: 1, maxLength: 4 }).map((a) => Float64Array.from(a)) },
  ),
  fc.oneof(fc.constantFrom(0, -1, Number.NaN, Number.POSITIVE_INFINITY, [], [1, -1], [1, Number.NaN], '1', null, undefined, -0), junk),
  16,
);

interface FeatureOpts {
  weights: WeightsDesc;
  scale: Opt;
  center: Opt;
}

const featureOptsArb: fc.Arbitrary<FeatureOpts> = fc.record({
  weights: weightsDesc,
  scale: optionValue([undefined, 1, 0.5, 2, 1e-3], [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '1']),
  center: optionValue([undefined, true, false], [1, 'yes', null]),
});

/** Builds the feature options; says whether they are known valid for these features, and the weights used. */
function featureOptions(o: FeatureOpts, f: FeatureFacts): { fields: Record<string, unknown>; ok: boolean; w: Float64Array | null; scale: number } {
  const weights = buildWeights(o.weights, f.ok ? f.rows : undefined);
  const w = f.ok && !f.acc ? weightFacts(weights, f.rows) : null;
  let ok = o.scale.ok && o.center.ok;
  if (f.acc) ok &&= o.weights.kind === 'none';
  else ok &&= o.weights.kind === 'none' || (o.weights.kind === 'valid' && w !== null);
  const fields: Record<string, unknown> = { scale: o.scale.v, center: o.center.v };
  if (o.weights.kind !== 'none') fields.weights = weights;
  return { fields, ok, w, scale: typeof o.scale.v === 'number' && o.scale.ok ? o.scale.v : 1 };
}

function featureRisk(f: FeatureFacts, w: Float64Array | null, scale: number): boolean {
  if (!f.values) return false;
  const extra = (w ? Math.max(1, maxAbs(w)) : 1) * Math.max(1, scale) * 4;
  // An accumulator holds a Gram already: its entries are the squares.
  return f.acc ? !(maxAbs(f.values) * extra * (f.cols + 1) < 1e300) : overflowRisk(f.values, f.dtype === 'float32' ? 'f32' : 'f64', extra);
}

function epsList(v: unknown): number[] | null {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v) || v instanceof Float64Array) return Array.from(v as ArrayLike<number>);
  return null;
}

/** Absolute slack for the λ_max bound: the JS trace and the native Gram underflow differently near the subnormals. */
function underflowSlack(f: FeatureFacts): number {
  return f.dtype === 'float32' ? 1e-30 : 1e-250;
}

/** Upper bound on λ_max of M = scale·Φᵀ·diag(w)·Φ: its trace. */
function lambdaBound(f: FeatureFacts, w: Float64Array | null, scale: number): number {
  if (f.acc || !w || !f.values) return scale * f.trace;
  let t = 0;
  for (let r = 0; r < f.rows; r++) for (let c = 0; c < f.cols; c++) t += (Math.sqrt(w[r]!) * f.values[r * f.cols + c]!) ** 2;
  return scale * t;
}

// ---------------------------------------------------------------------------
// epsRank, epsRankDetailed

interface EpsOpts extends FeatureOpts {
  eps: Opt;
  relative: Opt;
  method: Opt;
  junkOptions: boolean;
  junk: unknown;
}

const epsOptsArb: fc.Arbitrary<EpsOpts> = fc.record({
  weights: weightsDesc,
  scale: optionValue([undefined, 1, 0.5, 2, 1e-3], [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '1']),
  center: optionValue([undefined, true, false], [1, 'yes', null]),
  eps: epsArb,
  relative: optionValue([undefined, false, true], [1, 'yes', null]),
  method: optionValue([undefined, 'auto', 'inertia', 'eigen', 'svd'], ['SVD', 'lanczos', '', 'toString']),
  junkOptions: fc.nat({ max: 9 }).map((x) => x === 0),
  junk,
});

function checkDetails(v: unknown, f: FeatureFacts, eps: number[], relative: boolean, bound: number, risk: boolean): void {
  const d = v as E.EpsRankDetails;
  ensure(d !== null && typeof d === 'object', 'epsRankDetailed returned a non-object');
  ensure(d.N === f.rows && d.n === f.cols, () => `N×n = ${d.N}×${d.n}, expected ${f.rows}×${f.cols}`);
  // float32 features may be lifted to a float64 Gram (ε below float32's resolution, or a float32 overflow); never narrowed.
  ensure(d.dtype === f.dtype || (f.dtype === 'float32' && d.dtype === 'float64' && d.method !== 'svd'), () => `dtype ${d.dtype}, expected ${f.dtype}`);
  ensure(['inertia', 'eigen', 'svd'].includes(d.method), `method ${d.method}`);
  ensure(d.method === 'svd' ? d.side === 'svd' : d.side === (f.rows < f.cols && !f.acc ? 'dual' : 'primal'), () => `side ${d.side} for ${f.rows}×${f.cols} by ${d.method}`);
  ensure(Array.isArray(d.counts) && d.counts.length === eps.length, 'counts length');
  ensure(Array.isArray(d.thresholds) && d.thresholds.length === eps.length, 'thresholds length');
  d.counts.forEach((c, i) => ensureCount(c, f.cols, `counts[${i}]`));
  if (d.method === 'inertia') {
    ensure(d.lambdaMax === null && d.eigenvalues === null, 'inertia computed eigenvalues');
    ensure(d.thresholds.every((t, i) => t === eps[i]), 'inertia thresholds differ from eps');
  } else {
    ensureArray(d.eigenvalues, Float64Array, f.cols, 'eigenvalues');
    if (risk) return;
    const lam = d.eigenvalues;
    ensureFinite(lam, 'eigenvalues');
    ensureDescending(lam, 'eigenvalues');
    if (d.method === 'svd') ensureNonNegative(lam, 'eigenvalues (svd)');
    ensure(typeof d.lambdaMax === 'number' && Number.isFinite(d.lambdaMax), 'lambdaMax');
    ensure(d.lambdaMax! <= bound * (1 + 1e-5) + underflowSlack(f), () => `λ_max = ${d.lambdaMax} above trace(M) = ${bound}`);
    d.thresholds.forEach((t, i) => {
      const expected = relative ? eps[i]! * d.lambdaMax! : eps[i]!;
      ensure(t === expected, () => `thresholds[${i}] = ${t}, expected ${expected}`);
      let c = 0;
      while (c < lam.length && lam[c]! > t) c++;
      ensure(d.counts[i] === c, () => `counts[${i}] = ${d.counts[i]} but ${c} eigenvalues exceed ${t}`);
    });
  }
}

function epsTargets(): Target[] {
  const make = (name: string, isAsync: boolean, detailed: boolean, call: (x: unknown, o: unknown) => unknown): Target => {
    const body = (stats: Stats, fd: FeaturesDesc, o: EpsOpts, after: After): void | Promise<void> => {
      const { input, facts } = buildFeatures(fd);
      const fo = featureOptions(o, facts);
      const options = o.junkOptions ? o.junk : { ...fo.fields, eps: o.eps.v, relative: o.relative.v, method: o.method.v };
      const method = o.method.ok ? ((o.method.v as string | undefined) ?? 'auto') : 'auto';
      let optionsOk = !o.junkOptions && fo.ok && o.eps.ok && o.relative.ok && o.method.ok;
      if (method === 'inertia' && o.relative.v === true) optionsOk = false;
      if (facts.acc && (method === 'svd' || facts.acc.rows === 0)) optionsOk = false;
      const risk = featureRisk(facts, fo.w, fo.scale);
      const eps = epsList(o.eps.v) ?? [];
      const expect: Expect = !facts.ok ? 'error' : !optionsOk ? 'any' : !facts.finite ? 'ERR_NON_FINITE' : risk ? 'any' : 'ok';
      const check = (v: unknown) => {
        if (!optionsOk) return;
        const bound = lambdaBound(facts, fo.w, fo.scale);
        if (detailed) return checkDetails(v, facts, eps, o.relative.v === true, bound, risk);
        if (typeof o.eps.v === 'number') ensureCount(v, facts.cols, 'epsRank');
        else {
          ensure(Array.isArray(v) && v.length === eps.length, () => `epsRank returned ${preview(v)} for ${eps.length} eps`);
          (v as number[]).forEach((c, i) => ensureCount(c, facts.cols, `epsRank[${i}]`));
        }
      };
      if (isAsync) return verifyAsync(stats, () => call(input, options), expect, check, () => disturb({ data: input, weights: fo.fields.weights }, after));
      verify(stats, () => call(input, options), expect, check);
    };
    return isAsync
      ? asyncTarget(name, [`index:${name}`], [featuresDesc, epsOptsArb, afterArb], (s, f, o, a) => body(s, f, o, a) as Promise<void>)
      : syncTarget(name, [`index:${name}`], [featuresDesc, epsOptsArb], (s, f, o) => void body(s, f, o, 'none'));
  };
  return [
    make('epsRank', false, false, (x, o) => E.epsRank(x as never, o as never)),
    make('epsRankAsync', true, false, (x, o) => E.epsRankAsync(x as never, o as never)),
    make('epsRankDetailed', false, true, (x, o) => E.epsRankDetailed(x as never, o as never)),
    make('epsRankDetailedAsync', true, true, (x, o) => E.epsRankDetailedAsync(x as never, o as never)),
  ];
}

// ---------------------------------------------------------------------------
// spectrum

function spectrumTargets(): Target[] {
  const optsArb = fc.record({ feature: featureOptsArb, via: optionValue([undefined, 'gram', 'svd'], ['eig', 'SVD', 0]), shape: fc.constantFrom('record', 'record', 'record', 'undefined', 'junk'), junk });
  const make = (name: string, isAsync: boolean, call: (x: unknown, o: unknown) => unknown): Target => {
    const body = (stats: Stats, fd: FeaturesDesc, o: { feature: FeatureOpts; via: Opt; shape: string; junk: unknown }, after: After): void | Promise<void> => {
      const { input, facts } = buildFeatures(fd);
      const fo = featureOptions(o.feature, facts);
      const options = o.shape === 'undefined' ? undefined : o.shape === 'junk' ? o.junk : { ...fo.fields, via: o.via.v };
      const via = (o.shape === 'record' && o.via.ok ? (o.via.v as string | undefined) : undefined) ?? 'gram';
      let optionsOk = o.shape === 'undefined' || (o.shape === 'record' && fo.ok && o.via.ok);
      if (facts.acc && (via === 'svd' || facts.acc.rows === 0)) optionsOk = false;
      const risk = o.shape === 'record' ? featureRisk(facts, fo.w, fo.scale) : featureRisk(facts, null, 1);
      const expect: Expect = !facts.ok ? 'error' : !optionsOk ? 'any' : !facts.finite ? 'ERR_NON_FINITE' : risk ? 'any' : 'ok';
      const check = (v: unknown) => {
        if (!optionsOk) return;
        ensureArray(v, Float64Array, facts.cols, 'spectrum');
        if (risk) return;
        ensureFinite(v, 'spectrum');
        ensureDescending(v, 'spectrum');
        if (via === 'svd') ensureNonNegative(v, 'spectrum (svd)');
        const bound = o.shape === 'record' ? lambdaBound(facts, fo.w, fo.scale) : lambdaBound(facts, null, 1);
        ensure(v[0]! <= bound * (1 + 1e-5) + underflowSlack(facts), () => `λ_max = ${v[0]} above trace(M) = ${bound}`);
      };
      if (isAsync) return verifyAsync(stats, () => call(input, options), expect, check, () => disturb({ data: input, weights: fo.fields.weights }, after));
      verify(stats, () => call(input, options), expect, check);
    };
    return isAsync
      ? asyncTarget(name, [`index:${name}`], [featuresDesc, optsArb, afterArb], (s, f, o, a) => body(s, f, o, a) as Promise<void>)
      : syncTarget(name, [`index:${name}`], [featuresDesc, optsArb], (s, f, o) => void body(s, f, o, 'none'));
  };
  return [make('spectrum', false, (x, o) => E.spectrum(x as never, o as never)), make('spectrumAsync', true, (x, o) => E.spectrumAsync(x as never, o as never))];
}

// ---------------------------------------------------------------------------
// rankReport

/** entropyRank, stableRank and participationRatio lie in [1, k], or are 0 for an all-zero spectrum. */
function ensureRankMeasure(v: unknown, k: number, what: string): void {
  ensure(typeof v === 'number' && Number.isFinite(v), () => `${what} = ${preview(v)} is not a finite number`);
  ensure(v === 0 || (v >= 1 - 1e-9 && v <= k * (1 + 1e-9)), () => `${what} = ${v} outside {0} ∪ [1, ${k}]`);
}

function reportTargets(): Target[] {
  const optsArb = fc.record({
    feature: featureOptsArb,
    eps: epsArb,
    relative: optionValue([undefined, false, true], [1, 'yes']),
    method: optionValue([undefined, 'auto', 'eigen', 'svd'], ['inertia', 'SVD']),
    energy: optionValue([undefined, 0.5, 0.99, 1, 1e-9], [0, -1, 1.5, Number.NaN]),
    p: optionValue([undefined, 'sigma', 'lambda'], ['lam', 1]),
  });
  const make = (name: string, isAsync: boolean, call: (x: unknown, o: unknown) => unknown): Target => {
    type O = { feature: FeatureOpts; eps: Opt; relative: Opt; method: Opt; energy: Opt; p: Opt };
    const body = (stats: Stats, fd: FeaturesDesc, o: O, after: After): void | Promise<void> => {
      const { input, facts } = buildFeatures(fd);
      const fo = featureOptions(o.feature, facts);
      const options = { ...fo.fields, eps: o.eps.v, relative: o.relative.v, method: o.method.v, energy: o.energy.v, p: o.p.v };
      const method = (o.method.ok ? (o.method.v as string | undefined) : undefined) ?? 'auto';
      let optionsOk = fo.ok && o.eps.ok && o.relative.ok && o.method.ok && o.energy.ok && o.p.ok;
      if (facts.acc && (method === 'svd' || facts.acc.rows === 0)) optionsOk = false;
      const risk = featureRisk(facts, fo.w, fo.scale);
      const expect: Expect = !facts.ok ? 'error' : !optionsOk ? 'any' : !facts.finite ? 'ERR_NON_FINITE' : risk ? 'any' : 'ok';
      const eps = epsList(o.eps.v) ?? [];
      const check = (v: unknown) => {
        if (!optionsOk || risk) return;
        const r = v as E.RankReport;
        const k = facts.cols;
        ensure(r.n === facts.cols && r.N === facts.rows && r.dtype === facts.dtype, 'rankReport shape/dtype');
        ensure(r.method === 'eigen' || r.method === 'svd', 'rankReport method');
        ensureArray(r.eigenvalues, Float64Array, k, 'rankReport eigenvalues');
        ensureFinite(r.eigenvalues, 'rankReport eigenvalues');
        ensureNonNegative(r.eigenvalues, 'rankReport eigenvalues');
        ensureDescending(r.eigenvalues, 'rankReport eigenvalues');
        ensure(r.lambdaMax === (r.eigenvalues[0] ?? 0), 'lambdaMax is not the largest eigenvalue');
        if (typeof o.eps.v === 'number') ensureCount(r.epsRank, k, 'epsRank');
        else ensure(Array.isArray(r.epsRank) && r.epsRank.length === eps.length && r.epsRank.every((c) => Number.isInteger(c) && c >= 0 && c <= k), 'epsRank array');
        ensureCount(r.numericalRank, Math.min(k, facts.acc ? k : facts.rows), 'numericalRank');
        ensureCount(r.approximateRank, k, 'approximateRank');
        ensureRankMeasure(r.entropyRank, k, 'entropyRank');
        ensureRankMeasure(r.stableRank, k, 'stableRank');
        ensureRankMeasure(r.participationRatio, k, 'participationRatio');
      };
      if (isAsync) return verifyAsync(stats, () => call(input, options), expect, check, () => disturb({ data: input, weights: fo.fields.weights }, after));
      verify(stats, () => call(input, options), expect, check);
    };
    return isAsync
      ? asyncTarget(name, [`index:${name}`], [featuresDesc, optsArb, afterArb], (s, f, o, a) => body(s, f, o, a) as Promise<void>)
      : syncTarget(name, [`index:${name}`], [featuresDesc, optsArb], (s, f, o) => void body(s, f, o, 'none'));
  };
  return [make('rankReport', false, (x, o) => E.rankReport(x as never, o as never)), make('rankReportAsync', true, (x, o) => E.rankReportAsync(x as never, o as never))];
}

// ---------------------------------------------------------------------------
// Spectra and the measures

/** A spectrum entry: mostly non-negative, some rounding negatives, huge and tiny values, and specials. */
const spectrumEntry = fc.oneof(
  { weight: 8, arbitrary: fc.double({ min: 0, max: 100, noNaN: true }) },
  { weight: 2, arbitrary: fc.double({ min: -1e-12, max: 0, noNaN: true }) },
  { weight: 2, arbitrary: fc.constantFrom(0, -0, 1e200, 1e-200, 5e-324, 1e300, Number.MAX_VALUE, 1e154, 1e-160) },
  { weight: 1, arbitrary: fc.constantFrom(...SPECIALS) },
);

type SpecDesc =
  | { form: 'tagged'; kind: unknown; values: unknown[]; typed: boolean }
  | { form: 'bare'; values: unknown[]; typed: boolean };

const specDesc: fc.Arbitrary<SpecDesc> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      form: fc.constant('tagged' as const),
      kind: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('eigenvalues', 'singularValues') }, { weight: 1, arbitrary: fc.constantFrom('sigma', 'λ', null, undefined) }),
      values: fc.array(fc.oneof({ weight: 30, arbitrary: spectrumEntry }, { weight: 1, arbitrary: fc.constantFrom<unknown>('1', null, undefined, 1n, {}) }), { maxLength: 12 }),
      typed: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      form: fc.constant('bare' as const),
      values: fc.array(fc.oneof({ weight: 30, arbitrary: spectrumEntry }, { weight: 1, arbitrary: fc.constantFrom<unknown>('1', null, 1n) }), { maxLength: 12 }),
      typed: fc.boolean(),
    }),
  },
);

function buildSpec(d: SpecDesc): unknown {
  const numeric = d.values.every((v) => typeof v === 'number');
  const values = d.typed && numeric ? Float64Array.from(d.values as number[]) : [...d.values];
  return d.form === 'tagged' ? { kind: d.kind, values } : values;
}

/** The outcome a spectrum must give, and the number of entries. */
function specExpect(d: SpecDesc): { expect: Expect; k: number } {
  const k = d.values.length;
  if (d.form === 'tagged' && d.kind !== 'eigenvalues' && d.kind !== 'singularValues') return { expect: 'ERR_INVALID_ARGUMENT', k };
  for (const v of d.values) {
    if (typeof v !== 'number') return { expect: 'error', k };
  }
  for (const v of d.values) if (!Number.isFinite(v as number)) return { expect: 'ERR_NON_FINITE', k };
  return { expect: 'ok', k };
}

type RankInputDesc = { kind: 'features'; f: FeaturesDesc } | { kind: 'spectrum'; s: SpecDesc } | { kind: 'junk'; v: unknown };
const rankInputDesc: fc.Arbitrary<RankInputDesc> = fc.oneof(
  { weight: 4, arbitrary: featuresDesc.map((f) => ({ kind: 'features' as const, f })) },
  { weight: 5, arbitrary: specDesc.map((s) => ({ kind: 'spectrum' as const, s })) },
  { weight: 1, arbitrary: junk.map((v) => ({ kind: 'junk' as const, v })) },
);

function buildRankInput(d: RankInputDesc): { input: unknown; expect: Expect; k: number; risk: boolean } {
  if (d.kind === 'junk') return { input: d.v, expect: 'any', k: Number.POSITIVE_INFINITY, risk: false };
  if (d.kind === 'spectrum') {
    const { expect, k } = specExpect(d.s);
    return { input: buildSpec(d.s), expect, k, risk: false };
  }
  const { input, facts } = buildFeatures(d.f);
  // What is not matrix-like (an array not starting with a row, a typed array, an object without `data`)
  // is read as a bare spectrum, as documented.
  const matrixLike = Array.isArray(input)
    ? input.length > 0 && typeof input[0] === 'object' && input[0] !== null
    : input !== null && typeof input === 'object' && !ArrayBuffer.isView(input) && !E.isSpectrum(input) && 'data' in input;
  if (!matrixLike && !(input instanceof E.GramAccumulator)) {
    if (Array.isArray(input) || (ArrayBuffer.isView(input) && !(input instanceof DataView))) {
      const values = Array.from(input as ArrayLike<unknown>);
      const { expect, k } = specExpect({ form: 'bare', values, typed: false });
      return { input, expect, k, risk: false };
    }
    return { input, expect: 'ERR_INVALID_ARGUMENT', k: 0, risk: false };
  }
  const risk = featureRisk(facts, null, 1);
  const k = facts.acc ? facts.cols : Math.min(facts.rows, facts.cols);
  // An accumulator that has seen no rows has no shape for numericalRank's tolerance: either outcome.
  const empty = facts.acc !== null && facts.acc.rows === 0;
  return { input, expect: !facts.ok ? 'error' : !facts.finite ? 'ERR_NON_FINITE' : risk || empty ? 'any' : 'ok', k, risk };
}

function measureTargets(): Target[] {
  const list: Target[] = [];
  const measure = (name: string, optsArb: fc.Arbitrary<Opt>, call: (x: unknown, o: unknown) => unknown, check: (v: unknown, k: number) => void) =>
    list.push(
      syncTarget(name, [`index:${name}`], [rankInputDesc, optsArb], (stats, d, o) => {
        const r = buildRankInput(d);
        let expect: Expect = o.ok ? r.expect : r.expect === 'ok' || r.expect === 'any' ? 'any' : 'error';
        // numericalRank's default tolerance needs a shape; an empty spectrum has none (k = 0): either outcome.
        if (name === 'numericalRank' && r.k === 0 && expect === 'ok') expect = 'any';
        verify(stats, () => call(r.input, o.v), expect, (v) => {
          if (o.ok && !r.risk && Number.isFinite(r.k)) check(v, r.k);
        });
      }),
    );
  const noOptions = fc.constant<Opt>({ v: undefined, ok: true });
  const opts = (fields: Record<string, fc.Arbitrary<Opt>>) =>
    fc.oneof(
      { weight: 1, arbitrary: noOptions },
      {
        weight: 6,
        arbitrary: fc.record(fields, { requiredKeys: [] }).map((r) => ({
          v: Object.fromEntries(Object.entries(r).map(([k, x]) => [k, x?.v])),
          ok: Object.values(r).every((x) => x === undefined || x.ok),
        })),
      },
      { weight: 1, arbitrary: junk.map((v) => ({ v, ok: false })) },
    );
  measure(
    'numericalRank',
    opts({
      rtol: optionValue([undefined, 0, 1e-10, 0.5], [-1, Number.NaN, '1']),
      atol: optionValue([undefined, 0, 1e-8, 1], [-1, Number.POSITIVE_INFINITY]),
      rows: optionValue([undefined, 1, 5, 50], [0, 1.5, -2]),
      cols: optionValue([undefined, 1, 5, 50], [0, 1.5, -2]),
      dtype: optionValue([undefined, 'float32', 'float64'], ['f32', 'double']),
    }),
    (x, o) => E.numericalRank(x as never, o as never),
    (v, k) => ensureCount(v, k, 'numericalRank'),
  );
  measure('entropyRank', opts({ p: optionValue([undefined, 'sigma', 'lambda'], ['s', 1]) }), (x, o) => E.entropyRank(x as never, o as never), (v, k) => ensureRankMeasure(v, k, 'entropyRank'));
  measure('stableRank', noOptions, (x) => E.stableRank(x as never), (v, k) => ensureRankMeasure(v, k, 'stableRank'));
  measure('participationRatio', noOptions, (x) => E.participationRatio(x as never), (v, k) => ensureRankMeasure(v, k, 'participationRatio'));
  measure('approximateRank', opts({ energy: optionValue([undefined, 0.5, 0.99, 1, 1e-9], [0, -1, 1.5, Number.NaN]) }), (x, o) => E.approximateRank(x as never, o as never), (v, k) => ensureCount(v, k, 'approximateRank'));

  // Tagging: eigenvalues(), singularValues(), isSpectrum().
  const tagCheck = (kind: string) => (v: unknown, k: number) => {
    const s = v as E.Spectrum;
    ensure(s.kind === kind, 'kind');
    ensureArray(s.values, Float64Array, k, `${kind}().values`);
    ensureFinite(s.values, `${kind}().values`);
    ensureNonNegative(s.values, `${kind}().values`);
    ensureDescending(s.values, `${kind}().values`);
  };
  for (const [name, fn] of [['eigenvalues', E.eigenvalues], ['singularValues', E.singularValues]] as const) {
    list.push(
      syncTarget(name, [`index:${name}`, 'index:isSpectrum'], [fc.oneof({ weight: 6, arbitrary: specDesc.map((s) => ({ s, j: undefined as unknown })) }, { weight: 1, arbitrary: junk.map((j) => ({ s: null, j })) })], (stats, d) => {
        const input = d.s ? buildSpec(d.s) : d.j;
        const { expect, k } = d.s ? specExpect(d.s) : { expect: 'any' as Expect, k: 0 };
        // eigenvalues(singularValues([σ])) is σ², which overflows for σ > ~1.3e154: Infinity is then the right answer.
        const overflow = d.s !== null && d.s.form === 'tagged' && d.s.kind === 'singularValues' && name === 'eigenvalues' && d.s.values.some((v) => typeof v === 'number' && Math.abs(v) > 1e150);
        verify(stats, () => fn(input as never), expect, (v) => {
          if (d.s && !overflow) tagCheck(name)(v, k);
          ensure(E.isSpectrum(v), `isSpectrum(${name}(…)) is false`);
        });
        verify(stats, () => E.isSpectrum(input), 'ok', (v) => ensure(typeof v === 'boolean', 'isSpectrum returned a non-boolean'));
      }),
    );
  }

  // Threshold counts over a spectrum.
  const epsArgArb = fc.oneof(
    { weight: 4, arbitrary: positive.map((v) => ({ v: v as unknown, ok: true })) },
    { weight: 2, arbitrary: fc.array(positive, { maxLength: 4 }).map((v) => ({ v: v as unknown, ok: true })) },
    { weight: 2, arbitrary: fc.oneof(fc.constantFrom(0, -1, Number.NaN, Number.POSITIVE_INFINITY, '1', null, [1, 0]), junk).map((v) => ({ v, ok: false })) },
  );
  list.push(
    syncTarget('epsRankFromEigenvalues', ['index:epsRankFromEigenvalues'], [specDesc, epsArgArb, optionValue([undefined, { relative: true }, { relative: false }], [{ relative: 1 }, null, 5])], (stats, s, eps, o) => {
      const { expect, k } = specExpect(s);
      const e: Expect = eps.ok && o.ok ? expect : expect === 'ok' ? 'any' : 'error';
      verify(stats, () => E.epsRankFromEigenvalues(buildSpec(s) as never, eps.v as never, o.v as never), e, (v) => {
        if (!eps.ok || !o.ok) return;
        if (typeof eps.v === 'number') ensureCount(v, k, 'epsRankFromEigenvalues');
        else ensure(Array.isArray(v) && v.length === (eps.v as number[]).length && v.every((c) => Number.isInteger(c) && c >= 0 && c <= k), 'count array');
      });
    }),
  );
  list.push(
    syncTarget(
      'numericalRankFromSingularValues',
      ['index:numericalRankFromSingularValues'],
      [
        specDesc,
        opts({
          rows: optionValue([1, 3, 50, 2 ** 31], [0, -1, 1.5, undefined, '3']),
          cols: optionValue([1, 3, 50], [0, Number.NaN, undefined]),
          dtype: optionValue(['float32', 'float64'], ['f64', undefined]),
          rtol: optionValue([undefined, 0, 1e-6], [-1, Number.NaN]),
          atol: optionValue([undefined, 0, 1e-3], [-1]),
        }),
      ],
      (stats, s, o) => {
        const { expect, k } = specExpect(s);
        const opts = o.v as Record<string, unknown> | undefined;
        const complete = opts !== undefined && opts !== null && typeof opts === 'object' && 'rows' in opts && 'cols' in opts && 'dtype' in opts;
        const e: Expect = o.ok && complete ? expect : expect === 'ok' ? 'any' : 'error';
        verify(stats, () => E.numericalRankFromSingularValues(buildSpec(s) as never, o.v as never), e, (v) => {
          if (o.ok && complete) ensureCount(v, k, 'numericalRankFromSingularValues');
        });
      },
    ),
  );
  return list;
}

// ---------------------------------------------------------------------------
// detectStaircase

type PointDesc = { dStep: number; rank: unknown; loss: unknown };
const pointArb: fc.Arbitrary<PointDesc> = fc.record({
  dStep: fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 1, max: 5 }) }, { weight: 1, arbitrary: fc.constantFrom(0, -1, 0.5, Number.NaN) }),
  rank: fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 0, max: 8 }) }, { weight: 1, arbitrary: fc.constantFrom(1.5, -1, Number.NaN, Number.POSITIVE_INFINITY, '3', null) }),
  loss: fc.oneof({ weight: 6, arbitrary: fc.double({ min: 1e-6, max: 10, noNaN: true }) }, { weight: 2, arbitrary: fc.constantFrom(undefined, null, 0, -1) }, { weight: 1, arbitrary: fc.constantFrom(Number.NaN, '1', Number.POSITIVE_INFINITY) }),
});

function staircaseTarget(): Target {
  const optsArb = fc.record(
    {
      flicker: optionValue([1, 2, 3, 5], [0, 1.5, -1, '3']),
      tolerance: optionValue([0, 1, 2.5], [-1, Number.NaN]),
      minPlateau: optionValue([1, 2, 4], [0, Number.POSITIVE_INFINITY]),
      window: optionValue([1, 2, 3], [0, null]),
    },
    { requiredKeys: [] },
  );
  return syncTarget('detectStaircase', ['index:detectStaircase', 'index:describeTrend'], [fc.oneof({ weight: 8, arbitrary: fc.array(pointArb, { maxLength: 30 }) }, { weight: 1, arbitrary: junk.map((j) => [j] as unknown as PointDesc[]) }), optsArb, fc.boolean()], (stats, pts, o, noOptions) => {
    let step = 0;
    let previous = Number.NEGATIVE_INFINITY;
    let seriesOk = true;
    const series = pts.map((p) => {
      if (typeof p !== 'object' || p === null || !('dStep' in p)) {
        seriesOk = false;
        return p;
      }
      step += p.dStep;
      if (!(step > previous) || typeof p.rank !== 'number' || !Number.isFinite(p.rank)) seriesOk = false;
      previous = step;
      if (p.loss !== undefined && p.loss !== null && (typeof p.loss !== 'number' || !Number.isFinite(p.loss))) seriesOk = false;
      return p.loss === undefined ? { step, rank: p.rank } : { step, rank: p.rank, loss: p.loss };
    });
    const options = noOptions ? undefined : Object.fromEntries(Object.entries(o).map(([k, x]) => [k, x.v]));
    const optionsOk = noOptions || Object.values(o).every((x) => x.ok);
    const expect: Expect = !seriesOk ? 'ERR_INVALID_ARGUMENT' : optionsOk ? 'ok' : 'ok|ERR_INVALID_ARGUMENT';
    verify(stats, () => E.detectStaircase(series as never, options as never), expect, (v) => {
      const s = v as E.Staircase;
      ensure(s.plateauLengths.reduce((a, b) => a + b, 0) === series.length, 'plateaus do not cover the series');
      ensure(s.stairs.length === s.plateauLengths.length && s.jumps.length === Math.max(0, s.stairs.length - 1), 'stairs / jumps counts');
      ensure(typeof s.monotone === 'boolean', 'monotone');
      ensure(s.jumps.every((j) => j.change === j.to - j.from && j.change !== 0), 'jump changes');
      const words = E.describeTrend(s);
      ensure(s.trend === 'mixed' ? words.includes(', then ') || words.startsWith('mixed') : words === s.trend, () => `describeTrend '${words}' for trend ${s.trend}`);
      ensure(s.spearman === null || (Number.isFinite(s.spearman) && Math.abs(s.spearman) <= 1 + 1e-12), () => `spearman = ${s.spearman}`);
      ensure(s.lossDropAtJumps === null || Number.isFinite(s.lossDropAtJumps), () => `lossDropAtJumps = ${s.lossDropAtJumps}`);
    });
  });
}

// ---------------------------------------------------------------------------
// GramAccumulator

type AccOp =
  | { op: 'add'; chunk: MatrixDesc; weights: WeightsDesc; after: After }
  | { op: 'merge'; other: AccDesc | null; junk: unknown }
  | { op: 'roundtrip' }
  | { op: 'read' };

function chunkDesc(n: number): fc.Arbitrary<MatrixDesc> {
  const fitting = fc.integer({ min: 1, max: 5 }).chain((rows) =>
    fc.record({
      form: fc.constant('typed' as const),
      dtype: fc.constantFrom<DType>('f64', 'f32'),
      rows: fc.constant<unknown>(rows),
      cols: fc.constant<unknown>(n),
      values: fc.array(fc.oneof({ weight: 30, arbitrary: cleanEntry }, { weight: 1, arbitrary: spicyEntry }), { minLength: rows * n, maxLength: rows * n }),
      storage: fc.constantFrom('plain', 'plain', 'offset', 'shared', 'resizable') as fc.Arbitrary<'plain'>,
      offset: fc.integer({ min: 1, max: 3 }),
    }),
  );
  return fc.oneof({ weight: 6, arbitrary: fitting as fc.Arbitrary<MatrixDesc> }, { weight: 2, arbitrary: matrixDesc() });
}

function accOps(n: number): fc.Arbitrary<AccOp[]> {
  return fc.array(
    fc.oneof(
      { weight: 6, arbitrary: fc.record({ op: fc.constant('add' as const), chunk: chunkDesc(n), weights: weightsDesc, after: afterArb }) },
      { weight: 2, arbitrary: fc.record({ op: fc.constant('merge' as const), other: fc.option(accDesc), junk }) },
      { weight: 1, arbitrary: fc.constant({ op: 'roundtrip' as const }) },
      { weight: 1, arbitrary: fc.constant({ op: 'read' as const }) },
    ),
    { maxLength: 5 },
  );
}

/** A float64 reference of what an accumulator must hold. */
class Reference {
  g: Float64Array;
  sums: Float64Array;
  rows = 0;
  weight = 0;
  tainted = false; // after an add that may overflow, values are no longer compared
  constructor(readonly n: number) {
    this.g = new Float64Array(n * n);
    this.sums = new Float64Array(n);
  }
  add(values: Float64Array, rows: number, w: Float64Array | null): void {
    const n = this.n;
    for (let r = 0; r < rows; r++) {
      const wr = w ? w[r]! : 1;
      for (let i = 0; i < n; i++) {
        this.sums[i]! += wr * values[r * n + i]!;
        for (let j = 0; j < n; j++) this.g[i * n + j]! += wr * values[r * n + i]! * values[r * n + j]!;
      }
      this.weight += wr;
    }
    this.rows += rows;
  }
  mergeFrom(o: E.GramAccumulator): void {
    const g = o.gram().data;
    const s = o.columnSums();
    for (let i = 0; i < g.length; i++) this.g[i]! += g[i]!;
    for (let i = 0; i < s.length; i++) this.sums[i]! += s[i]!;
    this.rows += o.rows;
    this.weight += o.weightSum;
  }
  compare(acc: E.GramAccumulator): void {
    ensure(acc.n === this.n && acc.rows === this.rows, () => `accumulator n/rows ${acc.n}/${acc.rows}, expected ${this.n}/${this.rows}`);
    const g = acc.gram();
    ensureArray(g.data, Float64Array, this.n * this.n, 'acc.gram()');
    ensure(g.rows === this.n && g.cols === this.n, 'acc.gram() shape');
    const c = acc.centeredGram();
    ensureArray(c.data, Float64Array, this.n * this.n, 'acc.centeredGram()');
    ensureArray(acc.columnSums(), Float64Array, this.n, 'acc.columnSums()');
    if (this.tainted) return;
    const scale = Math.max(1, maxAbs(this.g));
    for (let i = 0; i < g.data.length; i++) {
      ensure(Math.abs(g.data[i]! - this.g[i]!) <= 1e-10 * scale, () => `acc.gram()[${i}] = ${g.data[i]}, expected ${this.g[i]}`);
    }
    for (let i = 0; i < this.n; i++) for (let j = 0; j < i; j++) ensure(g.data[i * this.n + j] === g.data[j * this.n + i], 'acc.gram() not exactly symmetric');
    const sums = acc.columnSums();
    const sumScale = Math.max(1, maxAbs(this.sums));
    for (let i = 0; i < this.n; i++) ensure(Math.abs(sums[i]! - this.sums[i]!) <= 1e-10 * sumScale, () => `columnSums()[${i}] = ${sums[i]}, expected ${this.sums[i]}`);
    ensure(Math.abs(acc.weightSum - this.weight) <= 1e-10 * Math.max(1, this.weight), () => `weightSum ${acc.weightSum}, expected ${this.weight}`);
    ensureFinite(c.data, 'centeredGram');
  }
}

function accumulatorTargets(): Target[] {
  const nArb = fc.oneof(
    { weight: 12, arbitrary: fc.integer({ min: 1, max: 5 }).map((v) => ({ v: v as unknown, ok: true })) },
    { weight: 2, arbitrary: fc.constantFrom<unknown>(0, -1, 1.5, Number.NaN, 46341, 2 ** 31, 2 ** 53, '3', null, undefined, 3n).map((v) => ({ v, ok: false })) },
    { weight: 1, arbitrary: junk.map((v) => ({ v, ok: false })) },
  );
  const ctorOptions = optionValue([undefined, { dtype: 'float64' }, {}], [{ dtype: 'float32' }, null, 5, 'float64']);

  const run = async (stats: Stats, isAsync: boolean, n: Opt, o: Opt, ops: AccOp[]) => {
    let acc: E.GramAccumulator | undefined;
    const nValid = typeof n.v === 'number' && Number.isInteger(n.v) && n.v > 0 && n.v * n.v <= 2 ** 31 - 1;
    // A valid but large n (junk may produce one) costs n² doubles: not worth allocating here.
    if (nValid && (n.v as number) > 1024) return;
    verify(stats, () => (acc = new E.GramAccumulator(n.v as never, o.v as never)), nValid ? (o.ok ? 'ok' : 'any') : 'error', (v) => {
      ensure(v instanceof E.GramAccumulator && v.n === n.v && v.rows === 0 && v.weightSum === 0 && v.dtype === 'float64', 'a fresh accumulator');
    });
    if (!acc) return;
    const ref = new Reference(acc.n);
    for (const step of ops) {
      if (step.op === 'add') {
        const { input, facts } = build(step.chunk);
        const weights = buildWeights(step.weights, facts?.rows);
        const w = facts ? weightFacts(weights, facts.rows) : null;
        const fits = facts !== null && facts.cols === acc.n;
        const weightsOk = step.weights.kind === 'none' || (step.weights.kind === 'valid' && w !== null);
        const risk = facts !== null && overflowRisk(facts.values, 'f64', w ? maxAbs(w) : 1);
        let expect: Expect = !facts ? 'error' : !fits ? 'ERR_INVALID_SHAPE' : step.weights.kind === 'bad' ? 'ERR_INVALID_ARGUMENT' : !weightsOk ? 'any' : !allFinite(facts.values) ? 'ERR_NON_FINITE' : risk ? 'any' : 'ok';
        if (expect === 'ok' && ref.tainted) expect = 'any';
        const before = acc.toBuffer();
        const target = acc;
        const check = () => {
          ref.add(facts!.values, facts!.rows, w);
          if (risk) ref.tainted = true;
          ref.compare(target);
        };
        const failedLeavesItUnchanged = () => ensure(Buffer.from(target.toBuffer()).equals(Buffer.from(before)), 'a failed add changed the accumulator');
        const okBefore = stats.ok;
        if (isAsync) await verifyAsync(stats, () => target.addAsync(input as never, weights as never), expect, check, () => disturb({ data: input, weights }, step.after));
        else verify(stats, () => target.add(input as never, weights as never), expect, check);
        if (stats.ok === okBefore && expect !== 'any') failedLeavesItUnchanged();
        if (stats.ok === okBefore && expect === 'any' && !ref.tainted) failedLeavesItUnchanged();
      } else if (step.op === 'merge') {
        const other = step.other ? buildAcc(step.other) : step.junk;
        const same = other instanceof E.GramAccumulator && other.n === acc.n;
        const target = acc;
        verify(stats, () => target.merge(other as never), same ? 'ok' : 'ERR_INVALID_ARGUMENT', () => {
          ref.mergeFrom(other as E.GramAccumulator);
          ref.compare(target);
        });
      } else if (step.op === 'roundtrip') {
        const bytes = acc.toBuffer();
        const finite = allFinite(acc.gram().data) && allFinite(acc.columnSums()) && Number.isFinite(acc.weightSum);
        let restored: E.GramAccumulator | undefined;
        verify(stats, () => (restored = E.GramAccumulator.fromBuffer(bytes)), finite ? 'ok' : 'any', (v) => {
          ensure(Buffer.from((v as E.GramAccumulator).toBuffer()).equals(Buffer.from(bytes)), 'fromBuffer(toBuffer()) differs');
        });
        if (restored) acc = restored;
      } else {
        ref.compare(acc);
      }
    }
  };

  const opsFor = (n: Opt) => accOps(n.ok ? (n.v as number) : 3);
  return [
    // The sync API, driven by an async property only because `run` is shared with addAsync.
    asyncTarget('GramAccumulator', ['index:GramAccumulator'], [nArb.chain((n) => fc.tuple(fc.constant(n), ctorOptions, opsFor(n)))], (stats, [n, o, ops]) => run(stats, false, n, o, ops)),
    asyncTarget('GramAccumulator.addAsync', ['index:GramAccumulator'], [nArb.chain((n) => fc.tuple(fc.constant(n), ctorOptions, opsFor(n)))], (stats, [n, o, ops]) => run(stats, true, n, o, ops)),
    fromBufferTarget(),
  ];
}

const headerArb: fc.Arbitrary<number[]> = fc
  .record({
    version: fc.constantFrom(1, 1, 1, 1, 0, 2, 65535),
    dtype: fc.constantFrom(1, 1, 1, 1, 0, 2),
    n: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 4 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 46341, 65535, 2 ** 32 - 1) }),
    rows: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 100 }) }, { weight: 1, arbitrary: fc.constantFrom(-1, 1.5, Number.NaN, 2 ** 53, Number.POSITIVE_INFINITY) }),
    weight: fc.oneof({ weight: 6, arbitrary: fc.double({ min: 0, max: 100, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(-1, Number.NaN, Number.POSITIVE_INFINITY, -0) }),
    exact: fc.boolean(),
    payload: fc.array(fc.oneof({ weight: 20, arbitrary: cleanEntry }, { weight: 1, arbitrary: spicyEntry }), { maxLength: 20 }),
  })
  .map((h) => {
    const payloadLength = h.exact ? h.n * h.n + h.n : h.payload.length;
    const bytes = new Uint8Array(32 + 8 * Math.min(payloadLength, 20 + 4 * 4 + 4));
    const v = new DataView(bytes.buffer);
    v.setUint32(0, 0x41474645, true);
    v.setUint16(4, h.version, true);
    v.setUint16(6, h.dtype, true);
    v.setUint32(8, h.n, true);
    v.setFloat64(16, h.rows, true);
    v.setFloat64(24, h.weight, true);
    for (let i = 0; 32 + 8 * i < bytes.length; i++) v.setFloat64(32 + 8 * i, h.payload[i % Math.max(1, h.payload.length)] ?? 0, true);
    return Array.from(bytes);
  });

function fromBufferTarget(): Target {
  return syncTarget('GramAccumulator.fromBuffer', ['index:GramAccumulator'], [bytesDesc(headerArb)], (stats, d: BytesDesc) => {
    const input = buildBytes(d);
    // A valid accumulator, or ERR_INVALID_ARGUMENT whatever came in.
    verify(stats, () => E.GramAccumulator.fromBuffer(input as never), 'ok|ERR_INVALID_ARGUMENT', (v) => {
      const acc = v as E.GramAccumulator;
      ensure(acc instanceof E.GramAccumulator, 'fromBuffer returned a non-accumulator');
      const expected = Uint8Array.from(d.bytes);
      expected.fill(0, 12, 16); // the reserved u32 is written back as 0
      ensure(Buffer.from(acc.toBuffer()).equals(Buffer.from(expected)), 'an accepted buffer does not round-trip');
      ensure(Number.isSafeInteger(acc.rows) && acc.rows >= 0 && Number.isFinite(acc.weightSum) && acc.weightSum >= 0, 'rows / weightSum');
      ensureFinite(acc.gram().data, 'restored Gram');
    });
  });
}

export function rankTargets(): Target[] {
  return [...epsTargets(), ...spectrumTargets(), ...reportTargets(), ...measureTargets(), staircaseTarget(), ...accumulatorTargets()];
}

