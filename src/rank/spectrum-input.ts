/**
 * How rank measures receive a precomputed spectrum.
 *
 * A spectrum is tagged with what it holds, so `stableRank(eigenvalues(lam))`
 * and `stableRank(singularValues(s))` cannot be confused with each other or
 * with a matrix: the matrix-accepting front dispatches on `isSpectrum`.
 * Each measure also takes a bare numeric array; its documentation says which
 * kind a bare array is read as.
 *
 * Every spectrum is validated and put in canonical form before use:
 *  - non-numbers throw ERR_INVALID_ARGUMENT, NaN/±Infinity throw ERR_NON_FINITE;
 *  - negative entries are clamped to 0. The measures are defined for positive
 *    semidefinite Gram matrices, whose computed eigenvalues can come out as
 *    tiny negatives from rounding; any negative is read as such noise;
 *  - entries are sorted in descending order (input may come in any order).
 *
 * Every input value (`kind`, `values`, its length and each entry) is read
 * exactly once, so a getter cannot pass validation with one value and be used
 * with another; an entry whose read throws is ERR_INVALID_ARGUMENT.
 */
import { EffrankError, invalidArgument } from '../core/errors.js';
import { allocateFloat64, describe, lengthOf } from '../core/matrix.js';

export type SpectrumKind = 'eigenvalues' | 'singularValues';

/** A validated spectrum: non-negative, finite, sorted in descending order. */
export interface Spectrum {
  readonly kind: SpectrumKind;
  readonly values: Float64Array;
}

/** What spectrum-level functions accept: a tagged spectrum or a bare numeric array. */
export type SpectrumInput = Spectrum | ArrayLike<number>;

/** Tags eigenvalues λ of the Gram matrix (λ = σ²). Copies, validates, clamps and sorts. */
export function eigenvalues(values: SpectrumInput): Spectrum {
  return { kind: 'eigenvalues', values: Float64Array.from(toEigenvalues(values, 'eigenvalues')) };
}

/** Tags singular values σ of the weighted feature matrix. Copies, validates, clamps and sorts. */
export function singularValues(values: SpectrumInput): Spectrum {
  return { kind: 'singularValues', values: Float64Array.from(toSingularValues(values, 'singularValues')) };
}

/**
 * True for objects tagged as a spectrum (`kind` is 'eigenvalues' or
 * 'singularValues' and `values` is array-like). Their entries are validated
 * when a measure reads them.
 */
export function isSpectrum(x: unknown): x is Spectrum {
  if (x === null || typeof x !== 'object') return false;
  try {
    const { kind, values } = x as { kind?: unknown; values?: unknown };
    return (kind === 'eigenvalues' || kind === 'singularValues') && isArrayLike(values);
  } catch {
    return false; // a throwing getter or a revoked Proxy: not a spectrum (unwrap reports it)
  }
}

/**
 * Eigenvalues λ in canonical form (descending, ≥ 0). A bare array is read as
 * eigenvalues; singular values are squared. May return the input itself when
 * it is already a canonical Float64Array, so callers must not write to it.
 */
export function toEigenvalues(input: SpectrumInput, name = 'spectrum'): Float64Array {
  const { kind, values } = unwrap(input, 'eigenvalues', name);
  const canon = canonical(values, name);
  return kind === 'eigenvalues' ? canon : canon.map((s) => s * s);
}

/**
 * Singular values σ in canonical form (descending, ≥ 0). A bare array is read
 * as singular values; eigenvalues are square-rooted. Same aliasing caveat as
 * `toEigenvalues`.
 */
export function toSingularValues(input: SpectrumInput, name = 'spectrum'): Float64Array {
  const { kind, values } = unwrap(input, 'singularValues', name);
  const canon = canonical(values, name);
  return kind === 'singularValues' ? canon : canon.map(Math.sqrt);
}

function unwrap(
  input: SpectrumInput,
  bare: SpectrumKind,
  name: string,
): { kind: SpectrumKind; values: ArrayLike<unknown> } {
  const fields = readOnce((): { kind: SpectrumKind; values: ArrayLike<unknown> } | undefined => {
    if (isArrayLike(input)) return { kind: bare, values: input as ArrayLike<unknown> };
    if (input === null || typeof input !== 'object') return undefined;
    const { kind, values } = input as { kind?: unknown; values?: unknown }; // each read once
    return (kind === 'eigenvalues' || kind === 'singularValues') && isArrayLike(values) ? { kind, values } : undefined;
  }, name);
  if (fields) return fields;
  throw invalidArgument(
    `${name} must be eigenvalues(…), singularValues(…) or an array of numbers, got ${describe(input)}`,
  );
}

/** Runs a read of user data; a throwing getter or a revoked Proxy becomes ERR_INVALID_ARGUMENT. */
function readOnce<T>(read: () => T, what: string): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof EffrankError) throw e;
    throw new EffrankError('ERR_INVALID_ARGUMENT', `${what} could not be read: ${(e as Error)?.message ?? String(e)}`, { cause: e });
  }
}

function isArrayLike(x: unknown): x is ArrayLike<unknown> {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
}

/**
 * Validates and copies in one pass, reading each entry once. A Float64Array
 * on an unshared buffer cannot change under us (no getters, one thread), so
 * it is only copied when clamping or sorting is needed.
 */
function canonical(values: ArrayLike<unknown>, name: string): Float64Array {
  if (values instanceof Float64Array && ArrayBuffer.isView(values) && !(values.buffer instanceof SharedArrayBuffer)) {
    const n = lengthOf(values);
    let ordered = true;
    let previous = Infinity;
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) throw new EffrankError('ERR_NON_FINITE', `${name}[${i}] is ${v}`);
      if (v < 0 || v > previous) ordered = false;
      previous = v;
    }
    if (ordered) return values;
    return Float64Array.from(values, (v) => (v > 0 ? v : 0)).sort().reverse();
  }
  const n = readOnce(() => values.length, `${name}.length`);
  if (!Number.isSafeInteger(n) || n < 0) throw invalidArgument(`${name} has an invalid length: ${describe(n)}`);
  const out = allocateFloat64(n, name);
  let ordered = true;
  let previous = Infinity;
  for (let i = 0; i < n; i++) {
    const v = readOnce(() => values[i], `${name}[${i}]`);
    if (typeof v !== 'number') throw invalidArgument(`${name}[${i}] is not a number: ${describe(v)}`);
    if (!Number.isFinite(v)) throw new EffrankError('ERR_NON_FINITE', `${name}[${i}] is ${v}`);
    if (v < 0 || v > previous) ordered = false;
    previous = v;
    out[i] = v > 0 ? v : 0;
  }
  return ordered ? out : out.sort().reverse(); // typed-array sort is numeric ascending
}
