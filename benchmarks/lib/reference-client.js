// Talks to reference.py: hands it the exact input bytes and the jobs to time.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { endianness, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', 'reference.py');
// Debian's python has numpy/scipy; the python3 first on PATH here does not.
export const PYTHON = process.env.EFFRANK_BENCH_PYTHON || '/usr/bin/python3';

/** Runs reference.py with the spec on stdin; resolves to its parsed JSON output. */
function callPython(args, stdinText) {
  return new Promise((resolve, reject) => {
    // process.env passes unchanged: numpy must see the same OPENBLAS_* as effrank.
    const child = spawn(PYTHON, [SCRIPT, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: process.env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject); // e.g. ENOENT: no such interpreter
    child.on('close', (code) => {
      let parsed;
      try {
        parsed = JSON.parse(out);
      } catch {
        reject(new Error(`reference.py exited ${code} without JSON output: ${err.trim() || out.trim()}`));
        return;
      }
      if (parsed.error) reject(new Error(parsed.error));
      else if (code !== 0) reject(new Error(`reference.py exited ${code}: ${err.trim()}`));
      else resolve(parsed);
    });
    child.stdin.end(stdinText ?? '');
  });
}

/** numpy/scipy/BLAS info, or the reason numpy can't be used. */
export async function probeNumpy() {
  try {
    const { numpy } = await callPython(['--probe']);
    return { ok: true, info: numpy };
  } catch (e) {
    return { ok: false, reason: e.code === 'ENOENT' ? `${PYTHON} not found` : `${PYTHON}: ${e.message}` };
  }
}

/**
 * A temp directory of raw little-endian input files, one per distinct typed
 * array: cases sharing an input share its file.
 */
export class InputFiles {
  constructor() {
    if (endianness() !== 'LE') throw new Error('reference inputs are written as little-endian; this host is big-endian');
    this.dir = mkdtempSync(join(tmpdir(), 'effrank-bench-'));
    this.paths = new Map();
  }

  /** {path, dtype, shape} for a matrix {data, rows, cols} or a batch {data, count, rows, cols}. */
  describe(input) {
    const { data } = input;
    const dtype = data instanceof Float32Array ? 'float32' : 'float64';
    if (!this.paths.has(data)) {
      const path = join(this.dir, `in${this.paths.size}.${dtype === 'float32' ? 'f32' : 'f64'}`);
      writeFileSync(path, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      this.paths.set(data, path);
    }
    const shape = input.count === undefined ? [input.rows, input.cols] : [input.count, input.rows, input.cols];
    return { path: this.paths.get(data), dtype, shape };
  }

  remove() {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Times jobs [{key, op, inputs: {name: fileSpec}, params, policy}] in one
 * Python process. Jobs with equal keys are sent once.
 */
export async function runReference(jobs, policy) {
  const unique = [...new Map(jobs.map((j) => [j.key, j])).values()];
  return callPython([], JSON.stringify({ policy, jobs: unique }));
}
