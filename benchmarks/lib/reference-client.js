// Talks to reference.py: hands it the exact input bytes and the jobs to time.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { endianness, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
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
 * A long-lived `reference.py --serve`: run.js sends one job at a time, so each
 * case's numpy timing sits right next to its effrank timing. On a shared,
 * noisy machine that keeps both sides under the same background load.
 */
export class ReferenceServer {
  constructor() {
    this.child = spawn(PYTHON, [SCRIPT, '--serve'], { stdio: ['pipe', 'pipe', 'pipe'], env: process.env });
    this.waiting = [];
    this.stderr = '';
    this.failure = null;
    this.child.stderr.on('data', (d) => (this.stderr += d));
    this.child.stdin.on('error', () => {}); // a dead child is reported through 'close'
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const next = this.waiting.shift();
      try {
        next?.resolve(JSON.parse(line));
      } catch {
        next?.reject(new Error(`reference.py printed non-JSON: ${line.slice(0, 200)}`));
      }
    });
    const fail = (why) => {
      this.failure = new Error(`reference.py ${why}${this.stderr.trim() ? `: ${this.stderr.trim().slice(-500)}` : ''}`);
      for (const w of this.waiting.splice(0)) w.reject(this.failure);
    };
    this.child.on('error', (e) => fail(`could not start (${e.message})`));
    this.child.on('close', (code, signal) => fail(`exited (${signal ?? code})`));
  }

  /** Times one job {key, op, inputs, params, policy}; resolves to its result line. */
  run(job) {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.child.stdin.write(`${JSON.stringify(job)}\n`);
    });
  }

  close() {
    this.child.stdin.end();
  }
}
