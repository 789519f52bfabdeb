/**
 * Child of inertia-scales.test.ts: reads cases from the JSON file argv[2]
 * and prints countEigenvaluesAbove(2^s·B, (k/8)·2^s) for each threshold k.
 * 2^s·B and (k/8)·2^s are exact in the case's dtype and in float64.
 */
import { readFileSync } from 'node:fs';

import { countEigenvaluesAbove } from '../../../src/index.js';

interface Case { dtype: 'float32' | 'float64'; n: number; s: number; b: number[]; ks: number[] }

const cases = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Case[];
const counts = cases.map((c) => {
  const scale = 2 ** c.s;
  const scaled = c.b.map((v) => v * scale);
  const data = c.dtype === 'float32' ? Float32Array.from(scaled) : Float64Array.from(scaled);
  return c.ks.map((k) => countEigenvaluesAbove({ data, rows: c.n, cols: c.n }, (k / 8) * scale));
});
console.log(JSON.stringify({ counts }));
