import { invalidArgument } from './errors.js';
import { checkNotDetached, describe, isFloatArray, lengthOf } from './matrix.js';

/**
 * Validates quadrature weights (finite, non-negative, the expected length) and
 * returns them as a Float64Array, the form the native core reads.
 */
export function toWeights(weights: unknown, expected: number, what = 'weights'): Float64Array {
  if (!(isFloatArray(weights) || Array.isArray(weights))) {
    throw invalidArgument(`${what} must be a Float64Array, Float32Array or number[], got ${describe(weights)}`);
  }
  const length = Array.isArray(weights) ? weights.length : lengthOf(weights);
  if (length !== expected) {
    throw invalidArgument(`${what} has ${length} entries, expected ${expected}`);
  }
  if (!Array.isArray(weights)) checkNotDetached(weights, what);
  // Checked before converting: Float64Array.from throws a TypeError on BigInts and odd objects.
  for (let i = 0; i < length; i++) {
    const w: unknown = weights[i];
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw invalidArgument(`${what}[${i}] must be a finite non-negative number, got ${describe(w)}`);
    }
  }
  return weights instanceof Float64Array ? weights : Float64Array.from(weights as ArrayLike<number>);
}

/** Validates a finite scalar such as a Gram scale or a threshold. */
export function toFinite(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalidArgument(`${what} must be a finite number, got ${describe(value)}`);
  }
  return value;
}

/** `options` must be absent or a plain object (null is rejected, not read as defaults). */
export function readOptions<T extends object>(options: T | undefined, fn: string): Partial<T> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw invalidArgument(`${fn}: options must be an object, got ${describe(options)}`);
  }
  return options;
}
