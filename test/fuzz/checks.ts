/**
 * Outcome rules and cheap validity checks for the fuzz targets.
 *
 * Every call must either return a result that passes its target's check or
 * throw (reject, for …Async) an EffrankError whose code is one of the five
 * documented ones. When the input is known to be well formed, the outcome is
 * pinned down further: finite data must succeed (or report
 * ERR_NO_CONVERGENCE / ERR_OUT_OF_MEMORY, which are always allowed), data
 * holding NaN/±Inf must fail with ERR_NON_FINITE, and a malformed input must
 * fail. So an off-by-offset read, a missed validation or a silently
 * swallowed error shows up as a failure, not as "some documented code".
 */
import { EffrankError } from '../../src/index.js';

export const DOCUMENTED_CODES = ['ERR_INVALID_SHAPE', 'ERR_INVALID_ARGUMENT', 'ERR_NON_FINITE', 'ERR_NO_CONVERGENCE', 'ERR_OUT_OF_MEMORY', 'ERR_THREAD_LIMIT'] as const;
const DOCUMENTED = new Set<string>(DOCUMENTED_CODES);
/** Always acceptable instead of a result: resource or LAPACK failures, not input errors. */
const ALWAYS_ALLOWED = new Set<string>(['ERR_NO_CONVERGENCE', 'ERR_OUT_OF_MEMORY', 'ERR_THREAD_LIMIT']);

/**
 * What a call must do:
 *  - 'ok': return a valid result (ERR_NO_CONVERGENCE / ERR_OUT_OF_MEMORY allowed);
 *  - 'error': throw some documented code;
 *  - a code: throw exactly that code (the always-allowed ones too);
 *  - 'ok|CODE': a valid result or exactly that code;
 *  - 'any': either.
 */
export type Code = (typeof DOCUMENTED_CODES)[number];
export type Expect = 'ok' | 'error' | 'any' | Code | `ok|${Code}`;

export class FuzzFailure extends Error {
  override name = 'FuzzFailure';
}

export function fail(message: string): never {
  throw new FuzzFailure(message);
}

export function ensure(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) fail(typeof message === 'string' ? message : message());
}

export interface Stats {
  /** Calls made (a property run may make several; shrinking adds more). */
  runs: number;
  ok: number;
  errors: Record<string, number>;
  /** The slowest single call, in ms: huge shapes must fail fast, never allocate. */
  maxMs: number;
}

export function newStats(): Stats {
  return { runs: 0, ok: 0, errors: {}, maxMs: 0 };
}

function timed(stats: Stats, t0: number): void {
  const ms = performance.now() - t0;
  if (ms > stats.maxMs) stats.maxMs = ms;
}

function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.constructor.name}${(e as { code?: unknown }).code ? ` ${String((e as { code?: unknown }).code)}` : ''}: ${e.message}`;
  return `a thrown ${typeof e}: ${String(e)}`;
}

/** Judges a thrown value against the expectation; returns its code. */
function judgeError(e: unknown, expect: Expect, allowForeign?: (e: unknown) => boolean): string {
  if (e instanceof FuzzFailure) throw e;
  if (!(e instanceof EffrankError)) {
    if (allowForeign?.(e)) return 'foreign (documented)';
    fail(`threw something other than an EffrankError: ${describeError(e)}\n${e instanceof Error ? e.stack : ''}`);
  }
  if (!DOCUMENTED.has(e.code)) fail(`threw an undocumented code ${describeError(e)}`);
  if (expect === 'ok' && !ALWAYS_ALLOWED.has(e.code)) fail(`expected a result for this well-formed input, got ${describeError(e)}`);
  const wanted = expect.startsWith('ok|') ? expect.slice(3) : expect;
  if (wanted !== 'ok' && wanted !== 'any' && wanted !== 'error' && e.code !== wanted && !ALWAYS_ALLOWED.has(e.code)) {
    fail(`expected ${expect}, got ${describeError(e)}`);
  }
  if (e.message.length === 0) fail(`${e.code} with an empty message`);
  return e.code;
}

function judgeValue(value: unknown, expect: Expect, check: (v: unknown) => void): void {
  if (expect !== 'ok' && expect !== 'any' && !expect.startsWith('ok|')) fail(`expected ${expect === 'error' ? 'an error' : expect}, but the call returned ${preview(value)}`);
  check(value);
}

export function preview(v: unknown): string {
  try {
    if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as unknown as ArrayLike<number>).length}) [${Array.from(v as unknown as ArrayLike<number>).slice(0, 8).join(', ')}]`;
    const s = JSON.stringify(v, (_k, x: unknown) => (ArrayBuffer.isView(x) ? Array.from(x as unknown as ArrayLike<number>).slice(0, 8) : typeof x === 'bigint' ? `${x}n` : x));
    return s === undefined ? String(v) : s.slice(0, 300);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

export interface VerifyOptions {
  /** A non-EffrankError that is documented for this entry point (e.g. svd-js's TypeError for a missing matrix). */
  allowForeign?: (e: unknown) => boolean;
}

/** Runs a sync call and judges its outcome. */
export function verify(stats: Stats, call: () => unknown, expect: Expect, check: (v: unknown) => void, o: VerifyOptions = {}): void {
  stats.runs++;
  let value: unknown;
  const t0 = performance.now();
  try {
    value = call();
  } catch (e) {
    timed(stats, t0);
    const code = judgeError(e, expect, o.allowForeign);
    stats.errors[code] = (stats.errors[code] ?? 0) + 1;
    return;
  }
  timed(stats, t0);
  judgeValue(value, expect, check);
  stats.ok++;
}

/**
 * Starts an async call, which must return a promise and never throw
 * synchronously; runs `after` (e.g. detaching the input) before awaiting it,
 * then judges the settled outcome.
 */
export async function verifyAsync(
  stats: Stats,
  start: () => unknown,
  expect: Expect,
  check: (v: unknown) => void,
  after?: () => void,
  o: VerifyOptions = {},
): Promise<void> {
  stats.runs++;
  let promise: unknown;
  const t0 = performance.now();
  try {
    promise = start();
  } catch (e) {
    fail(`an …Async entry point threw synchronously instead of rejecting: ${describeError(e)}`);
  }
  ensure(promise instanceof Promise, `an …Async entry point returned ${preview(promise)}, not a Promise`);
  after?.();
  let value: unknown;
  try {
    value = await promise;
  } catch (e) {
    timed(stats, t0);
    const code = judgeError(e, expect, o.allowForeign);
    stats.errors[code] = (stats.errors[code] ?? 0) + 1;
    return;
  }
  timed(stats, t0);
  judgeValue(value, expect, check);
  stats.ok++;
}

// ---------------------------------------------------------------------------
// Array checks

export type AnyFloatArray = Float32Array | Float64Array;

export function ensureArray(x: unknown, ctor: typeof Float32Array | typeof Float64Array, length: number, what: string): asserts x is AnyFloatArray {
  ensure(x instanceof ctor, () => `${what} is ${preview(x)}, expected a ${ctor.name}`);
  ensure((x as AnyFloatArray).length === length, () => `${what} has length ${(x as AnyFloatArray).length}, expected ${length}`);
}

export function allFinite(x: ArrayLike<number>): boolean {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i]!)) return false;
  return true;
}

export function ensureFinite(x: ArrayLike<number>, what: string): void {
  ensure(allFinite(x), () => `${what} has non-finite entries: ${preview(Array.from(x))}`);
}

/** Descending (ties allowed), optionally within blocks of `block` entries. */
export function ensureDescending(x: ArrayLike<number>, what: string, block = x.length): void {
  for (let i = 0; i < x.length; i++) {
    if (i % block !== 0) ensure(x[i]! <= x[i - 1]!, () => `${what} is not descending at ${i}: ${preview(Array.from(x))}`);
  }
}

export function ensureAscending(x: ArrayLike<number>, what: string, block = x.length): void {
  for (let i = 0; i < x.length; i++) {
    if (i % block !== 0) ensure(x[i]! >= x[i - 1]!, () => `${what} is not ascending at ${i}: ${preview(Array.from(x))}`);
  }
}

export function ensureNonNegative(x: ArrayLike<number>, what: string): void {
  for (let i = 0; i < x.length; i++) ensure(x[i]! >= 0, () => `${what}[${i}] = ${x[i]} < 0`);
}

export function ensureCount(x: unknown, max: number, what: string): asserts x is number {
  ensure(typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= max, () => `${what} = ${preview(x)} is not an integer in [0, ${max}]`);
}

export function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]!));
  return m;
}

export function frobenius(x: ArrayLike<number>): number {
  const scale = maxAbs(x);
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! / scale) ** 2;
  return scale * Math.sqrt(s);
}

/** The symmetric matrix defined by the lower triangle of a (n×n, row-major). */
export function symmetricFromLower(a: ArrayLike<number>, n: number): Float64Array {
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      s[i * n + j] = a[i * n + j]!;
      s[j * n + i] = a[i * n + j]!;
    }
  }
  return s;
}

/** Machine epsilon-ish tolerance and the smallest magnitude worth comparing, per dtype. */
export function tolerance(dtype: 'f32' | 'f64'): { rel: number; tiny: number } {
  return dtype === 'f32' ? { rel: 2e-4, tiny: 1e-30 } : { rel: 1e-9, tiny: 1e-290 };
}

/**
 * True when the true results may overflow the dtype (so Inf/NaN in a result
 * is not a bug): |a|² times the weights, the scale and the dimension.
 */
export function overflowRisk(values: ArrayLike<number>, dtype: 'f32' | 'f64', extra = 1): boolean {
  const m = maxAbs(values);
  if (!Number.isFinite(m)) return true;
  // float32 arithmetic cannot even hold a weight or scale beyond its range (3.4e38).
  if (dtype === 'f32' && extra > 1e36) return true;
  const bound = m * m * Math.max(1, extra) * (values.length + 1);
  return !(bound < (dtype === 'f32' ? 1e36 : 1e300));
}

/** ‖A − U·diag(s)·Vᵀ‖_max for row-major a (m×n), u (m×uc), vt (vr×n); only the first k = |s| columns/rows are used. */
export function reconstructionError(a: ArrayLike<number>, m: number, n: number, u: ArrayLike<number>, uc: number, s: ArrayLike<number>, vt: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < s.length; p++) sum += u[i * uc + p]! * s[p]! * vt[p * n + j]!;
      worst = Math.max(worst, Math.abs(a[i * n + j]! - sum));
    }
  }
  return worst;
}

/** max_i ‖S·v_i − λ_i·v_i‖ for the columns v_i of a row-major n×n matrix. */
export function eigenResidual(s: ArrayLike<number>, n: number, values: ArrayLike<number>, vectors: ArrayLike<number>): number {
  let worst = 0;
  for (let c = 0; c < n; c++) {
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += s[i * n + k]! * vectors[k * n + c]!;
      worst = Math.max(worst, Math.abs(sum - values[c]! * vectors[i * n + c]!));
    }
  }
  return worst;
}
