/** The shape of a fuzz target, and helpers shared by the target files. */
import fc from 'fast-check';

import { type Expect, type Stats, allFinite, overflowRisk } from './checks.js';
import { type Facts, type MatrixDesc, type Opt, buildMatrix, factsOf, realCopy, realFloatArray } from './inputs.js';

export interface Target {
  /** Unique, e.g. 'svd' or 'compat/ml-matrix SingularValueDecomposition'. */
  name: string;
  /** The exports it exercises, as 'module:export' (module: index, compat/svd-js, compat/numeric, compat/ml-matrix, io/npy). */
  covers: string[];
  async: boolean;
  /** Builds the property; it records every call in `stats`. */
  property(stats: Stats): fc.IRawProperty<unknown[], boolean>;
}

/** Compact constructor for a sync target. */
export function syncTarget<T extends unknown[]>(
  name: string,
  covers: string[],
  arbs: { [K in keyof T]: fc.Arbitrary<T[K]> },
  body: (stats: Stats, ...args: T) => void,
): Target {
  return {
    name,
    covers,
    async: false,
    property: (stats) => fc.property(...(arbs as unknown as [fc.Arbitrary<unknown>]), (...args: unknown[]) => body(stats, ...(args as T))) as fc.IRawProperty<unknown[], boolean>,
  };
}

export function asyncTarget<T extends unknown[]>(
  name: string,
  covers: string[],
  arbs: { [K in keyof T]: fc.Arbitrary<T[K]> },
  body: (stats: Stats, ...args: T) => Promise<void>,
): Target {
  return {
    name,
    covers,
    async: true,
    property: (stats) =>
      fc.asyncProperty(...(arbs as unknown as [fc.Arbitrary<unknown>]), (...args: unknown[]) => body(stats, ...(args as T))) as unknown as fc.IRawProperty<unknown[], boolean>,
  };
}

/** A built matrix argument with the facts an independent reader sees in it (taken before any call). */
export interface Built {
  input: unknown;
  facts: Facts | null;
}

export function build(d: MatrixDesc): Built {
  const input = buildMatrix(d);
  return { input, facts: factsOf(input) };
}

/** Mirrors the lower triangle into the upper one of a square, well-shaped description. */
export function symmetrize(d: MatrixDesc, yes: boolean): MatrixDesc {
  if (!yes || d.form === 'junk' || d.rows !== d.cols || typeof d.rows !== 'number') return d;
  const n = d.rows;
  if (!Number.isInteger(n) || n < 1 || d.values.length !== n * n) return d;
  const values = d.values.slice();
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) values[j * n + i] = values[i * n + j];
  return { ...d, values } as MatrixDesc;
}

/**
 * The expectation for a call on a matrix:
 *  - malformed matrix → some error;
 *  - well-formed but the wrong shape for this function → ERR_INVALID_SHAPE (any error if an option is bad too);
 *  - any option not known valid → anything documented;
 *  - NaN/±Inf in the data → ERR_NON_FINITE;
 *  - a result that may overflow → anything documented (the checks then skip finiteness);
 *  - otherwise → a valid result.
 */
export function expectFor(facts: Facts | null, optionsOk: boolean, shapeOk = true, risk = false): Expect {
  if (!facts) return 'error';
  if (!shapeOk) return optionsOk ? 'ERR_INVALID_SHAPE' : 'error';
  if (!optionsOk) return 'any';
  if (!allFinite(facts.values)) return 'ERR_NON_FINITE';
  if (risk) return 'any';
  return 'ok';
}

export function riskOf(facts: Facts | null, extra = 1): boolean {
  return facts !== null && overflowRisk(facts.values, facts.dtype, extra);
}

/** What to do to the input right after starting an async call. */
export type After = 'none' | 'detach' | 'mutate';
export const afterArb: fc.Arbitrary<After> = fc.constantFrom<After>('none', 'none', 'detach', 'mutate');

/** Detaches or overwrites (with NaN) every float buffer reachable from the input; never throws. */
export function disturb(input: unknown, how: After): void {
  if (how === 'none') return;
  const seen = new Set<unknown>();
  const visit = (x: unknown, depth: number): void => {
    if (depth > 3 || x === null || typeof x !== 'object' || seen.has(x)) return;
    seen.add(x);
    if (realFloatArray(x)) {
      try {
        if (how === 'mutate') x.fill(Number.NaN);
        else if (!(x.buffer instanceof SharedArrayBuffer)) structuredClone(x.buffer, { transfer: [x.buffer] });
      } catch {
        // already detached, or not transferable: nothing to disturb
      }
      return;
    }
    try {
      if (Array.isArray(x)) {
        x.forEach((v, i) => {
          if (how === 'mutate' && typeof v === 'number') x[i] = Number.NaN;
          else visit(v, depth + 1);
        });
      } else {
        for (const key of ['data', 'weights']) if (Object.hasOwn(x, key)) visit((x as Record<string, unknown>)[key], depth + 1);
      }
    } catch {
      // getters and proxies may throw: not our concern here
    }
  };
  visit(input, 0);
}

/** Float64 copy of weights as the library must read them, or null when they are not valid weights. */
export function weightFacts(w: unknown, expected: number): Float64Array | null {
  if (w === undefined) return null;
  let values: ArrayLike<unknown>;
  if (Array.isArray(w)) values = w;
  else if (realFloatArray(w)) {
    const c = realCopy(w);
    if (c === null) return null;
    values = c;
  } else return null;
  if (values.length !== expected) return null;
  const out = new Float64Array(expected);
  for (let i = 0; i < expected; i++) {
    if (!(i in values) && Array.isArray(values)) return null;
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return null;
    out[i] = v;
  }
  return out;
}

/** An option bag's value and validity, from optionsArg. */
export type OptArg = Opt;
