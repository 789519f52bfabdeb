/**
 * Linear and log axes with "nice" ticks (1, 2, 5 × 10^k on linear axes, whole
 * powers of ten on log axes), and min/max downsampling of long polylines.
 */

export interface Tick {
  value: number;
  label: string;
}

export interface Scale {
  kind: 'linear' | 'log';
  /** Domain after rounding out to the ticks. */
  domain: [number, number];
  range: [number, number];
  ticks: Tick[];
  /** Minor ticks (log axes: 2…9 × 10^k when few decades are shown); no labels. */
  minor: number[];
  /** Data value → pixel; log scales clamp values ≤ 0 and below the domain to the domain's bottom. */
  map(v: number): number;
}

const SUPERSCRIPT: Record<string, string> = {
  '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '-': '⁻',
};

/** 10^k with a superscript exponent: "10⁻³". */
export function pow10Label(k: number): string {
  return `10${[...String(k)].map((c) => SUPERSCRIPT[c] ?? c).join('')}`;
}

/** 1, 2 or 5 × 10^k, the smallest such ≥ raw. */
function niceStep(raw: number, integer: boolean): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  const nice = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
  const step = Number.isFinite(nice) && nice > 0 ? nice : raw; // 2 × 1e308 overflows, 10^−324 is 0: keep the raw step
  return integer ? Math.max(1, Math.round(step)) : step;
}

/** Decimal places needed to print multiples of `step` exactly. */
function decimalsOf(step: number): number {
  if (step >= 1) return 0;
  return Math.min(12, Math.max(0, -Math.floor(Math.log10(step) + 1e-9)));
}

/** A number for a linear tick label: grouped thousands for big ones, 1.5e-7 style for tiny or huge. */
export function formatLinear(v: number, step: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e7 || a < 1e-4) return v.toExponential(Math.max(0, Math.min(15, Math.round(-Math.log10(step / a))))).replace('e+', 'e');
  const d = decimalsOf(step);
  const s = v.toFixed(d);
  return d === 0 && a >= 10000 ? Number(s).toLocaleString('en-US') : s;
}

export interface LinearOptions {
  /** Aim for about this many ticks. Default 6. */
  ticks?: number;
  /** Integer ticks only (counts, steps). */
  integer?: boolean;
  /** Round the domain out to whole ticks. Default true. */
  nice?: boolean;
}

/** At most this many ticks on any axis, whatever the input: tick loops are bounded by it. */
const MAX_TICKS = 1000;
/** A step never finer than this fraction of the largest |end|, so k·step stays exact and distinct in float64. */
const MIN_RELATIVE_STEP = 2 ** -40;

/** Nice ticks covering [min, max]; a degenerate or empty domain is widened around its value. Bounded for every finite input. */
export function linearTicks(min: number, max: number, options: LinearOptions = {}): { domain: [number, number]; values: number[]; step: number } {
  const target = Math.min(MAX_TICKS, Math.max(2, options.ticks ?? 6));
  const integer = options.integer ?? false;
  let lo = Number.isFinite(min) ? min : 0;
  let hi = Number.isFinite(max) ? max : lo + 1;
  if (hi < lo) [lo, hi] = [hi, lo];
  // Widening may not overflow, and must be visible at the ends' magnitude (1e16 + 1 === 1e16).
  const magnitude = Math.max(Math.abs(lo), Math.abs(hi));
  if (hi === lo) {
    let pad = Math.max(integer ? 1 : lo === 0 ? 1 : Math.abs(lo) * 0.1, magnitude * MIN_RELATIVE_STEP);
    // A subnormal value's 10% rounds to nothing (5e-325 → 0): widen to a span ticks can be spaced in.
    if (lo - pad === lo || hi + pad === hi) pad = 1e-300;
    lo = Math.max(-Number.MAX_VALUE, lo - pad);
    hi = Math.min(Number.MAX_VALUE, hi + pad);
  }
  // hi/(t−1) − lo/(t−1) cannot overflow where hi − lo can (−MAX_VALUE … MAX_VALUE).
  const raw = Math.min(Number.MAX_VALUE, Math.max(hi / (target - 1) - lo / (target - 1), magnitude * MIN_RELATIVE_STEP));
  const step = niceStep(raw, integer);
  const nice = options.nice ?? true;
  const finiteOr = (v: number, fallback: number) => (Number.isFinite(v) ? v : fallback);
  let domain: [number, number] = nice
    ? [finiteOr(Math.floor(lo / step + 1e-9) * step, lo), finiteOr(Math.ceil(hi / step - 1e-9) * step, hi)]
    : [lo, hi];
  if (!(domain[1] > domain[0])) domain = [lo, hi];
  const from = Math.ceil(domain[0] / step - 1e-9);
  const to = Math.floor(domain[1] / step + 1e-9);
  const values: number[] = [];
  for (let i = 0; i <= Math.min(to - from, MAX_TICKS); i++) {
    const exact = (from + i) * step;
    if (!Number.isFinite(exact)) break;
    const rounded = Number(exact.toPrecision(12)); // 0.30000000000000004 → 0.3
    values.push(Math.abs(rounded - exact) <= step * 1e-6 ? rounded : exact);
  }
  return { domain, values, step };
}

export function linearScale(min: number, max: number, range: [number, number], options: LinearOptions = {}): Scale {
  const { domain, values, step } = linearTicks(min, max, options);
  const [d0, d1] = domain;
  const [r0, r1] = range;
  // Halved, so a domain spanning −MAX_VALUE … MAX_VALUE does not overflow.
  const width = d1 / 2 - d0 / 2;
  return {
    kind: 'linear',
    domain,
    range,
    ticks: values.map((value) => ({ value, label: formatLinear(value, step) })),
    minor: [],
    map: (v) => r0 + ((v / 2 - d0 / 2) / width) * (r1 - r0),
  };
}

/**
 * Whole powers of ten covering [min, max] (both > 0; otherwise [1, 10]).
 * The domain is rounded out to decades; over many decades every k-th decade
 * is labelled so that at most `maxTicks` labels remain.
 */
export function logTicks(min: number, max: number, maxTicks = 7): { domain: [number, number]; exponents: number[]; minor: number[] } {
  let lo = min > 0 && Number.isFinite(min) ? min : NaN;
  let hi = max > 0 && Number.isFinite(max) ? max : NaN;
  if (Number.isNaN(lo) && Number.isNaN(hi)) [lo, hi] = [1, 10];
  else if (Number.isNaN(lo)) lo = hi;
  else if (Number.isNaN(hi)) hi = lo;
  if (hi < lo) [lo, hi] = [hi, lo];
  // 10^−323 … 10^308 are the decades float64 can hold (10^−324 is 0, 10^309 is Infinity).
  let e0 = Math.max(-323, Math.floor(Math.log10(lo) + 1e-9));
  let e1 = Math.min(308, Math.ceil(Math.log10(hi) - 1e-9));
  if (e1 <= e0) e1 = e0 + 1;
  const decades = e1 - e0;
  const every = Math.max(1, Math.ceil(decades / Math.max(1, maxTicks - 1)));
  // Align the labelled decades to multiples of `every`, widening the domain to keep its ends labelled.
  e0 = Math.floor(e0 / every) * every;
  e1 = Math.ceil(e1 / every) * every;
  const exponents: number[] = [];
  for (let e = e0; e <= e1; e += every) if (e >= -323 && e <= 308) exponents.push(e);
  const minor: number[] = [];
  if (every === 1 && decades <= 6) {
    for (let e = e0; e < e1; e++) for (let m = 2; m <= 9; m++) minor.push(m * 10 ** e);
  } else if (every > 1) {
    for (let e = e0; e < e1; e++) if (e % every !== 0) minor.push(10 ** e);
  }
  return { domain: [Math.max(Number.MIN_VALUE, 10 ** e0), Math.min(Number.MAX_VALUE, 10 ** e1)], exponents, minor };
}

export function logScale(min: number, max: number, range: [number, number], maxTicks = 7): Scale {
  const { domain, exponents, minor } = logTicks(min, max, maxTicks);
  const l0 = Math.log10(domain[0]);
  const l1 = Math.log10(domain[1]);
  const [r0, r1] = range;
  const k = (r1 - r0) / (l1 - l0);
  return {
    kind: 'log',
    domain,
    range,
    ticks: exponents.map((e) => ({ value: 10 ** e, label: pow10Label(e) })),
    minor,
    map: (v) => r0 + (Math.max(l0, Math.min(l1, v > 0 ? Math.log10(v) : l0)) - l0) * k,
  };
}

/**
 * Keeps at most about `maxPoints` of a polyline (x ascending): the points are
 * cut into buckets of equal index span and each bucket keeps its first, its
 * lowest, its highest and its last point, in order. Extremes, and so every
 * visible jump of a step line, survive. Returns the kept indices.
 */
export function downsampleIndices(ys: ArrayLike<number>, maxPoints: number): number[] {
  const n = ys.length;
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => i);
  const buckets = Math.max(1, Math.floor(maxPoints / 4));
  const out: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * n) / buckets);
    const end = Math.floor(((b + 1) * n) / buckets);
    if (end <= start) continue;
    let lo = start;
    let hi = start;
    for (let i = start; i < end; i++) {
      if (ys[i]! < ys[lo]!) lo = i;
      if (ys[i]! > ys[hi]!) hi = i;
    }
    for (const i of [start, Math.min(lo, hi), Math.max(lo, hi), end - 1]) {
      if (out[out.length - 1] !== i) out.push(i);
    }
  }
  return out;
}

/** [min, max] of the finite values (no argument spreading, so any length works); [NaN, NaN] when there are none. */
export function extent(values: Iterable<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [NaN, NaN];
}
