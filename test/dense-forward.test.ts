/**
 * The native dense-chain forward pass (src/linalg/dense-forward.ts) against
 * a float64 plain-JS forward pass of the same formulas, for every
 * activation, with fast-check on random chains; bad steps are EffrankErrors,
 * and the inputs are copied before the call returns.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { DENSE_ACTIVATIONS, type DenseActivation, type DenseStep, denseForwardAsync } from '../src/linalg/dense-forward.js';
import { expectRejectCode } from './helpers/expect.js';
import { Rng } from './helpers/rng.js';

/** Standard normal CDF through a float64 erf (Abramowitz–Stegun 7.1.26 is too coarse: series and continued fraction). */
function erf(x: number): number {
  const t = Math.abs(x);
  if (t < 2.5) {
    // Maclaurin series, converges fast for |x| < 2.5.
    let term = t;
    let sum = t;
    for (let k = 1; k < 80; k++) {
      term *= (-t * t) / k;
      sum += term / (2 * k + 1);
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc by its continued fraction (Lentz), accurate for t ≥ 2.5.
  let f = t;
  let c = t;
  let d = 0;
  for (let k = 1; k < 200; k++) {
    const a = k / 2;
    d = 1 / (t + a * d);
    c = t + a / c;
    f *= c * d;
  }
  const erfc = Math.exp(-t * t) / (f * Math.sqrt(Math.PI));
  return Math.sign(x) * (1 - erfc);
}

function act(name: DenseActivation, x: number, alpha: number): number {
  const softplus = (v: number) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
  const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
  switch (name) {
    case 'linear': return x;
    case 'relu': return Math.max(x, 0);
    case 'relu6': return Math.min(Math.max(x, 0), 6);
    case 'tanh': return Math.tanh(x);
    case 'sigmoid': return sigmoid(x);
    case 'hardSigmoid': return Math.min(Math.max(0.2 * x + 0.5, 0), 1);
    case 'elu': return x >= 0 ? x : alpha * Math.expm1(x);
    case 'selu': return 1.0507009873554805 * (x >= 0 ? x : 1.6732632423543772 * Math.expm1(x));
    case 'softplus': return softplus(x);
    case 'softsign': return x / (1 + Math.abs(x));
    case 'swish': return x * sigmoid(x);
    case 'mish': return x * Math.tanh(softplus(x));
    case 'gelu': return 0.5 * x * (1 + erf(x / Math.SQRT2));
    case 'gelu_new': return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
    case 'leakyReLU': return x >= 0 ? x : alpha * x;
    case 'softmax': throw new Error('row-wise');
  }
}

/** float64 reference: the output of every step. */
function reference(x: ArrayLike<number>, rows: number, steps: readonly DenseStep[]): Float64Array[] {
  let cur = Float64Array.from(x);
  const outs: Float64Array[] = [];
  for (const s of steps) {
    const y = new Float64Array(rows * s.units);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < s.units; j++) {
        let v: number;
        if (s.kernel) {
          v = s.bias ? s.bias[j]! : 0;
          for (let p = 0; p < s.inputs; p++) v += cur[r * s.inputs + p]! * s.kernel[p * s.units + j]!;
        } else {
          v = cur[r * s.inputs + j]!;
        }
        y[r * s.units + j] = v;
      }
      const row = y.subarray(r * s.units, (r + 1) * s.units);
      if (!s.kernel) {
        if (s.normalize) {
          const mean = row.reduce((a, b) => a + b, 0) / row.length;
          const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / row.length;
          for (let j = 0; j < row.length; j++) row[j] = (row[j]! - mean) / Math.sqrt(variance + (s.epsilon ?? 0));
        }
        for (let j = 0; j < row.length; j++) row[j] = (row[j]! - (s.offset ? s.offset[j]! : 0)) * (s.scale ? s.scale[j]! : 1) + (s.bias ? s.bias[j]! : 0);
      }
      if (s.activation === 'softmax') {
        const top = Math.max(...row);
        let sum = 0;
        for (let j = 0; j < row.length; j++) sum += row[j] = Math.exp(row[j]! - top);
        for (let j = 0; j < row.length; j++) row[j]! /= sum;
      } else {
        for (let j = 0; j < row.length; j++) row[j] = act(s.activation, row[j]!, s.alpha ?? 1);
      }
    }
    outs.push(y);
    cur = y;
  }
  return outs;
}

function randomF32(n: number, rng: Rng, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => scale * rng.normal());
}

/** Max |got − want| / (1 + |want|) over all entries. */
function relErr(got: ArrayLike<number>, want: ArrayLike<number>): number {
  expect(got.length).toBe(want.length);
  let e = 0;
  for (let i = 0; i < want.length; i++) e = Math.max(e, Math.abs(got[i]! - want[i]!) / (1 + Math.abs(want[i]!)));
  return e;
}

describe('denseForwardAsync', () => {
  for (const activation of DENSE_ACTIVATIONS) {
    it(`'${activation}' after a dense step equals the float64 reference to float32 rounding`, async () => {
      const rng = new Rng(7 + DENSE_ACTIVATIONS.indexOf(activation));
      const rows = 37;
      const x = randomF32(rows * 5, rng);
      const steps: DenseStep[] = [{ kernel: randomF32(5 * 7, rng), bias: randomF32(7, rng, 0.5), inputs: 5, units: 7, activation, alpha: 0.25, output: true }];
      const [y] = await denseForwardAsync(x, rows, steps, 1);
      expect(y).toBeInstanceOf(Float32Array);
      expect(relErr(y!, reference(x, rows, steps)[0]!)).toBeLessThan(2e-6);
    });
  }

  it('returns the outputs asked for, in order, through activation-only steps and steps without a bias', async () => {
    const rng = new Rng(3);
    const rows = 9;
    const x = randomF32(rows * 2, rng);
    const steps: DenseStep[] = [
      { kernel: randomF32(2 * 6, rng), bias: null, inputs: 2, units: 6, activation: 'linear', output: true },
      { kernel: null, bias: null, inputs: 6, units: 6, activation: 'tanh' },
      { kernel: randomF32(6 * 4, rng), bias: randomF32(4, rng), inputs: 6, units: 4, activation: 'relu' },
      { kernel: null, bias: null, inputs: 4, units: 4, activation: 'softmax', output: true },
    ];
    const outs = await denseForwardAsync(x, rows, steps, 0);
    const ref = reference(x, rows, steps);
    expect(outs.length).toBe(2);
    expect(relErr(outs[0]!, ref[0]!)).toBeLessThan(2e-6);
    expect(relErr(outs[1]!, ref[3]!)).toBeLessThan(2e-6);
    for (let r = 0; r < rows; r++) expect(outs[1]!.subarray(r * 4, r * 4 + 4).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('steps without a kernel: per-unit offset, scale and shift (batch normalization) and row standardization (layer normalization)', async () => {
    const rng = new Rng(5);
    const rows = 13;
    const x = randomF32(rows * 6, rng, 3);
    const steps: DenseStep[] = [
      { kernel: null, bias: randomF32(6, rng), offset: randomF32(6, rng), scale: randomF32(6, rng), inputs: 6, units: 6, activation: 'linear', output: true },
      { kernel: null, bias: null, normalize: true, epsilon: 1e-3, inputs: 6, units: 6, activation: 'linear', output: true },
      { kernel: null, bias: randomF32(6, rng), scale: randomF32(6, rng), normalize: true, epsilon: 0.5, inputs: 6, units: 6, activation: 'tanh', output: true },
    ];
    const outs = await denseForwardAsync(x, rows, steps, 1);
    const ref = reference(x, rows, steps);
    outs.forEach((y, k) => expect(relErr(y, ref[k]!)).toBeLessThan(5e-6));
    await expectRejectCode(() => denseForwardAsync(x, rows, [{ ...steps[0]!, kernel: new Float32Array(36), scale: new Float32Array(6) }], 1), 'ERR_INVALID_ARGUMENT');
    await expectRejectCode(() => denseForwardAsync(x, rows, [{ ...steps[0]!, scale: new Float32Array(5) }], 1), 'ERR_INVALID_SHAPE');
    await expectRejectCode(() => denseForwardAsync(x, rows, [{ ...steps[0]!, offset: new Float32Array(7) }], 1), 'ERR_INVALID_SHAPE');
    await expectRejectCode(() => denseForwardAsync(x, rows, [{ ...steps[0]!, scale: null, kernel: new Float32Array(36) }], 1), 'ERR_INVALID_ARGUMENT');
    await expectRejectCode(() => denseForwardAsync(x, rows, [{ ...steps[1]!, epsilon: -1 }], 1), 'ERR_INVALID_ARGUMENT');
  });

  it('copies its inputs before returning: overwriting them at once changes nothing', async () => {
    const rng = new Rng(11);
    const rows = 64;
    const x = randomF32(rows * 8, rng);
    const kernel = randomF32(8 * 8, rng);
    const steps: DenseStep[] = [{ kernel, bias: null, inputs: 8, units: 8, activation: 'tanh', output: true }];
    const want = reference(x, rows, steps)[0]!;
    const pending = denseForwardAsync(x, rows, steps, 1);
    x.fill(1e30);
    kernel.fill(Number.NaN);
    const [y] = await pending;
    expect(relErr(y!, want)).toBeLessThan(2e-6);
  });

  it('extreme finite inputs: float32 overflow gives ±Infinity as tfjs would, subnormals stay exact under relu', async () => {
    const big = new Float32Array([3e38, -3e38]);
    const [y] = await denseForwardAsync(big, 2, [{ kernel: new Float32Array([2]), bias: null, inputs: 1, units: 1, activation: 'linear', output: true }], 1);
    expect(Array.from(y!)).toEqual([Infinity, -Infinity]);
    const [z] = await denseForwardAsync(new Float32Array([1e30]), 1, [{ kernel: new Float32Array([1e30, -1e30]), bias: null, inputs: 1, units: 2, activation: 'tanh', output: true }], 1);
    expect(Array.from(z!)).toEqual([1, -1]);
    const tiny = Math.fround(1e-40);
    const [s] = await denseForwardAsync(new Float32Array([tiny, -tiny]), 2, [{ kernel: null, bias: null, inputs: 1, units: 1, activation: 'relu', output: true }], 1);
    expect(Array.from(s!)).toEqual([tiny, 0]);
  });

  it('bad steps are EffrankErrors with stable codes', async () => {
    const x = new Float32Array(6);
    const dense = (inputs: number, units: number, extra: Partial<DenseStep> = {}): DenseStep =>
      ({ kernel: new Float32Array(inputs * units), bias: null, inputs, units, activation: 'linear', output: true, ...extra });
    await expectRejectCode(() => denseForwardAsync(x, 2, [dense(3, 2, { kernel: new Float32Array(5) })], 1), 'ERR_INVALID_SHAPE');
    await expectRejectCode(() => denseForwardAsync(x, 3, [dense(3, 2)], 1), 'ERR_INVALID_SHAPE'); // x holds 6, not 9
    await expectRejectCode(() => denseForwardAsync(x, 2, [dense(3, 2, { output: false }), dense(4, 1)], 1), 'ERR_INVALID_SHAPE');
    await expectRejectCode(() => denseForwardAsync(x, 2, [dense(3, 2, { output: false })], 1), 'ERR_INVALID_ARGUMENT');
    await expectRejectCode(() => denseForwardAsync(x, 2, [dense(3, 2, { kernel: new Float64Array(6) as unknown as Float32Array })], 1), 'ERR_INVALID_ARGUMENT');
    await expectRejectCode(() => denseForwardAsync(x, 2, [dense(3, 2, { activation: 'logSoftmax' as DenseActivation })], 1), 'ERR_INVALID_ARGUMENT');
    await expectRejectCode(() => denseForwardAsync(x, 2, [], 1), 'ERR_INVALID_ARGUMENT');
    await expectRejectCode(() => denseForwardAsync(x, 2, [dense(3, 2, { kernel: null })], 1), 'ERR_INVALID_SHAPE'); // an activation keeps its width
  });

  it('random chains equal the float64 reference (fast-check)', async () => {
    const stepArb = fc.record({
      units: fc.integer({ min: 1, max: 9 }),
      dense: fc.boolean(),
      bias: fc.boolean(),
      scale: fc.boolean(),
      normalize: fc.boolean(),
      activation: fc.constantFrom(...DENSE_ACTIVATIONS),
      alpha: fc.double({ min: 0.01, max: 2, noNaN: true }),
    });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 6 }), fc.array(stepArb, { minLength: 1, maxLength: 4 }), fc.integer(), async (rows, inputs, specs, seed) => {
        const rng = new Rng(seed);
        let width = inputs;
        const steps: DenseStep[] = specs.map((s, i) => {
          const dense = s.dense || i === 0;
          const units = dense ? s.units : width;
          const step: DenseStep = {
            kernel: dense ? randomF32(width * units, rng, 1 / Math.sqrt(width)) : null,
            bias: s.bias ? randomF32(units, rng, 0.3) : null,
            scale: !dense && s.scale ? randomF32(units, rng) : null,
            normalize: !dense && s.normalize,
            epsilon: 0.01,
            inputs: width, units, activation: s.activation, alpha: s.alpha, output: i === specs.length - 1 || s.bias,
          };
          width = units;
          return step;
        });
        const x = randomF32(rows * inputs, rng);
        const outs = await denseForwardAsync(x, rows, steps, 1);
        const ref = reference(x, rows, steps).filter((_, i) => steps[i]!.output);
        expect(outs.length).toBe(ref.length);
        // float32 rounding compounds through the chain: a few ulps per step.
        outs.forEach((y, k) => expect(relErr(y, ref[k]!)).toBeLessThan(1e-5));
      }),
      { numRuns: 60, seed: 20261202 },
    );
  });
});
