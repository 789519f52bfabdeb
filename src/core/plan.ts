/**
 * One algorithm, two drivers. Computations that chain several native calls
 * (Gram, then eigenvalues, then perhaps an SVD) are written once as
 * generators that yield each native step; `runSync` performs the steps on the
 * calling thread, `runAsync` awaits their off-thread twins.
 */
export interface Step<R> {
  sync: () => R;
  async: () => Promise<R>;
}

export type Plan<T> = Generator<Step<unknown>, T, unknown>;

export function step<R>(sync: () => R, async: () => Promise<R>): Step<R> {
  return { sync, async };
}

export function runSync<T>(plan: Plan<T>): T {
  let r = plan.next();
  while (!r.done) r = plan.next(r.value.sync());
  return r.value;
}

export async function runAsync<T>(plan: Plan<T>): Promise<T> {
  let r = plan.next();
  while (!r.done) r = plan.next(await r.value.async());
  return r.value;
}
