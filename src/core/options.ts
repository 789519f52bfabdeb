/**
 * The one vocabulary for options and argument checks. Every public function
 * reads its options through `readOptions` (absent, or a plain object whose
 * keys are all known) and its values through the checks below, so the same
 * mistake gets the same code and wording at every layer.
 */
import { invalidArgument } from './errors.js';
import { type FloatArray, checkNotDetached, describe, isFloatArray, lengthOf } from './matrix.js';

/** Edit distance, for "did you mean" hints on misspelt option keys. */
function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The known key closest to `key`, if it is close enough to be a likely typo. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = distance(key, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** Throws ERR_INVALID_ARGUMENT naming the first own key of `obj` not in `known`. */
export function checkKnownKeys(obj: object, known: readonly string[], fn: string): void {
  for (const key of Object.keys(obj)) {
    if (known.includes(key)) continue;
    const near = closestKey(key, known);
    const hint = near ? ` (did you mean '${near}'?)` : known.length ? ` (known: ${known.join(', ')})` : '';
    throw invalidArgument(`${fn}: unknown option '${key}'${hint}`);
  }
}

/**
 * `options` must be absent or a plain object (null is rejected, not read as
 * defaults) whose keys are all in `known`: an unknown key is an error that
 * names it, never silently ignored.
 */
export function readOptions<T extends object>(options: T | undefined, fn: string, known: readonly (keyof T & string)[]): Partial<T> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw invalidArgument(`${fn}: options must be an object, got ${describe(options)}`);
  }
  checkKnownKeys(options, known, fn);
  return options;
}

/** Like readOptions, for functions whose options object is required. */
export function requireOptions<T extends object>(options: T | undefined, fn: string, known: readonly (keyof T & string)[], required: string): T {
  if (options === undefined || options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw invalidArgument(`${fn}: options { ${required} } are required, got ${describe(options)}`);
  }
  checkKnownKeys(options, known, fn);
  return options;
}

/**
 * Validates quadrature weights (finite, non-negative, the expected length) and
 * returns them as a Float64Array, the form the native core reads. Each entry
 * is read exactly once, so a getter cannot change a value after its check.
 */
export function toWeights(weights: unknown, expected: number, what = 'weights'): Float64Array {
  let isArray: boolean;
  try {
    isArray = Array.isArray(weights);
  } catch {
    throw invalidArgument(`${what} cannot be read (a revoked Proxy?)`); // Array.isArray throws a TypeError on a revoked Proxy
  }
  if (!(isFloatArray(weights) || isArray)) {
    throw invalidArgument(`${what} must be a Float64Array, Float32Array or number[], got ${describe(weights)}`);
  }
  const length = isArray ? (weights as unknown[]).length : lengthOf(weights as FloatArray);
  if (length !== expected) {
    throw invalidArgument(`${what} has ${length} entries, expected ${expected}`);
  }
  if (!isArray) checkNotDetached(weights as FloatArray, what);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    let w: unknown;
    try {
      w = (weights as ArrayLike<unknown>)[i];
    } catch (e) {
      throw invalidArgument(`${what}[${i}] cannot be read: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw invalidArgument(`${what}[${i}] must be a finite non-negative number, got ${describe(w)}`);
    }
    out[i] = w;
  }
  return out;
}

/** Validates a finite scalar such as a Gram scale or a threshold. */
export function toFinite(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalidArgument(`${what} must be a finite number, got ${describe(value)}`);
  }
  return value;
}

export function checkPositive(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw invalidArgument(`${what} must be a finite number > 0, got ${describe(value)}`);
  }
  return value;
}

export function checkNonNegative(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidArgument(`${what} must be a finite number ≥ 0, got ${describe(value)}`);
  }
  return value;
}

export function checkPositiveInteger(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw invalidArgument(`${what} must be a positive integer, got ${describe(value)}`);
  }
  return value;
}

export function checkNonNegativeInteger(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalidArgument(`${what} must be a non-negative integer, got ${describe(value)}`);
  }
  return value;
}

export function checkOneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalidArgument(`${what} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describe(value)}`);
  }
  return value as T;
}

export function checkBoolean(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') throw invalidArgument(`${what} must be a boolean, got ${describe(value)}`);
  return value;
}

/** An optional boolean option: undefined gives the default, anything but a boolean is an error. */
export function optionalBoolean(value: unknown, what: string, fallback: boolean): boolean {
  return value === undefined ? fallback : checkBoolean(value, what);
}
