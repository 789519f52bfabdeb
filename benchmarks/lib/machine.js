// What the numbers were measured on, saved next to them.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { basename } from 'node:path';

/** Environment variables that change what OpenBLAS does (kernel choice, cache sizes, threads). */
export function blasEnv(env = process.env) {
  return Object.fromEntries(Object.entries(env).filter(([k]) => /^(OPENBLAS_|OMP_|GOTO_)/.test(k)));
}

/** BLAS/LAPACK shared objects mapped into this process: which OpenBLAS effrank really loaded. */
export function loadedBlasLibraries() {
  try {
    const paths = new Set();
    for (const line of readFileSync('/proc/self/maps', 'utf8').split('\n')) {
      const path = line.split(/\s+/)[5];
      if (path && /blas|lapack|mkl|gfortran/.test(basename(path))) paths.add(path);
    }
    return [...paths].sort();
  } catch {
    return []; // not Linux
  }
}

function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export function machineInfo(effrank) {
  let backend;
  try {
    backend = effrank.backendInfo();
  } catch (e) {
    backend = { error: String(e?.message ?? e) };
  }
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    nproc: os.availableParallelism?.() ?? cpus.length,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    effrank: backend,
    blasLibraries: loadedBlasLibraries(),
    env: blasEnv(),
    commit: gitCommit(),
  };
}
