/** Types of known.mjs (plain JS, shared with the worker scripts), for the TypeScript files that import it. */
export interface KnownMatrix {
  data: Float64Array;
  rows: number;
  cols: number;
}

export interface Known {
  rng(seed: number): () => number;
  withSingularValues(m: number, n: number, d: ArrayLike<number>, seed: number): KnownMatrix;
  withEigenvalues(lambda: ArrayLike<number>, seed: number): KnownMatrix;
  relError(a: ArrayLike<number>, b: ArrayLike<number>): number;
  descending(x: ArrayLike<number>): number[];
  ascending(x: ArrayLike<number>): number[];
}

/** Loads known.mjs. */
export async function loadKnown(): Promise<Known> {
  return (await import(new URL('./known.mjs', import.meta.url).href)) as Known;
}
