/**
 * Independent references from Debian's python3 (/usr/bin/python3: the first
 * python3 on PATH may lack numpy): scripts get JSON on stdin and print JSON
 * (floats round-trip exactly through JSON).
 */
import { spawnSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';

/** True when `python3 -c "import <modules>"` succeeds (e.g. 'numpy, mpmath'). */
export function pythonHas(modules: string): boolean {
  return spawnSync(PYTHON, ['-c', `import ${modules}`], { timeout: 30_000 }).status === 0;
}

/** Runs `script` with `input` as JSON on stdin; returns its stdout parsed as JSON. */
export function python(script: string, input: unknown, timeoutMs = 300_000): unknown {
  const run = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(input), encoding: 'utf8', timeout: timeoutMs, maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`python failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout);
}

export interface RowMajor {
  data: ArrayLike<number>;
  rows: number;
  cols: number;
}

/**
 * Singular values, descending, by mpmath's svd_r at `digits` decimal digits.
 * Its convergence test is normwise, so values far below σ₁ (graded matrices)
 * need many digits: about 40 for 1e-15·σ₁, 250 for 1e-100·σ₁.
 */
export function mpmathSvdvals(mats: RowMajor[], digits: number): number[][] {
  return python(
    `
import json, sys, mpmath
mpmath.mp.dps = ${digits}
out = []
for c in json.load(sys.stdin):
    A = mpmath.matrix(c['rows'], c['cols'])
    for i in range(c['rows']):
        for j in range(c['cols']):
            A[i, j] = mpmath.mpf(c['data'][i * c['cols'] + j])
    out.append(sorted([float(abs(x)) for x in mpmath.svd_r(A, compute_uv=False)], reverse=True))
print(json.dumps(out))
`,
    mats.map((a) => ({ data: Array.from(a.data), rows: a.rows, cols: a.cols })),
  ) as number[][];
}
