/**
 * Function-fitting tasks for the staircase demo: several frequencies on
 * [-1, 1] or [-1, 1]², sampled on a uniform grid whose trapezoid weights make
 * the probe Gram a quadrature of ∫ φ_i φ_j dx.
 */
export interface Task {
  name: string;
  description: string;
  /** Input dimension. */
  dim: 1 | 2;
  /** Grid points, row-major [N, dim]. */
  x: Float32Array;
  /** Targets [N]. */
  y: Float32Array;
  /** Trapezoid weights [N]; they sum to the domain's measure. */
  weights: Float64Array;
  N: number;
}

export const TASKS = ['sin1d', 'sin2d'] as const;
export type TaskName = (typeof TASKS)[number];

/** Trapezoid weights of a uniform grid of `points` on [-1, 1]. */
export function trapezoid(points: number): Float64Array {
  const h = 2 / (points - 1);
  const w = new Float64Array(points).fill(h);
  w[0] = h / 2;
  w[points - 1] = h / 2;
  return w;
}

/** f(x) = sin(2πx) + ½·sin(10πx) on [-1, 1]. */
function sin1d(points: number): Task {
  const x = new Float32Array(points);
  const y = new Float32Array(points);
  for (let i = 0; i < points; i++) {
    const t = -1 + (2 * i) / (points - 1);
    x[i] = t;
    y[i] = Math.sin(2 * Math.PI * t) + 0.5 * Math.sin(10 * Math.PI * t);
  }
  return { name: 'sin1d', description: 'sin(2πx) + ½·sin(10πx) on [-1, 1]', dim: 1, x, y, weights: trapezoid(points), N: points };
}

/** f(x, y) = sin(πx)·sin(πy) + ½·sin(4πx)·sin(3πy) on [-1, 1]², on a side×side grid. */
function sin2d(points: number): Task {
  const side = Math.max(2, Math.round(Math.sqrt(points)));
  const w1 = trapezoid(side);
  const N = side * side;
  const x = new Float32Array(2 * N);
  const y = new Float32Array(N);
  const weights = new Float64Array(N);
  for (let i = 0; i < side; i++) {
    for (let j = 0; j < side; j++) {
      const k = i * side + j;
      const a = -1 + (2 * i) / (side - 1);
      const b = -1 + (2 * j) / (side - 1);
      x[2 * k] = a;
      x[2 * k + 1] = b;
      y[k] = Math.sin(Math.PI * a) * Math.sin(Math.PI * b) + 0.5 * Math.sin(4 * Math.PI * a) * Math.sin(3 * Math.PI * b);
      weights[k] = w1[i]! * w1[j]!;
    }
  }
  return {
    name: 'sin2d',
    description: 'sin(πx)·sin(πy) + ½·sin(4πx)·sin(3πy) on [-1, 1]²',
    dim: 2,
    x,
    y,
    weights,
    N,
  };
}

/** `points` is the grid size (1-D) or the approximate total of a square grid (2-D). */
export function makeTask(name: TaskName, points: number): Task {
  return name === 'sin1d' ? sin1d(points) : sin2d(points);
}
