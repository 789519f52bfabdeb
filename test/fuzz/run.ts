/**
 * The child-process runner for the fuzz driver.
 *
 * `runFuzz` starts the driver (test/fuzz/driver.ts) in one or more child
 * processes (shards), waits, and reads their reports. A child that dies from
 * a signal, exits non-zero without a complete report, or overruns its time
 * is a failure that names the target it was running: a crash can never pass
 * silently or take the test runner down with it.
 *
 * Run directly, it is `npm run test:fuzz` (10 000 cases per entry point):
 *
 *   node --import ./test/hardening/workers/ts-register.mjs test/fuzz/run.ts
 *
 * Environment: FUZZ_RUNS (default 10000 here, 1000 in `npm test`), FUZZ_SEED
 * (default: the CI run id, else today's UTC date, so CI rotates seeds daily),
 * FUZZ_SHARDS (default: min(2, cores)), FUZZ_ONLY / FUZZ_SKIP (regexes over target names).
 * A failure prints the seed; rerun with the same FUZZ_SEED and FUZZ_ONLY.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { DriverReport, TargetReport } from './driver.js';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const tsRegister = join(repoRoot, 'test', 'hardening', 'workers', 'ts-register.mjs');
const driver = join(repoRoot, 'test', 'fuzz', 'driver.ts');

/** FUZZ_SEED, else a CI run id, else today's UTC date as YYYYMMDD: a different slice every day. */
export function defaultSeed(env: NodeJS.ProcessEnv = process.env): number {
  for (const key of ['FUZZ_SEED', 'GITHUB_RUN_ID', 'CI_PIPELINE_ID', 'BUILD_NUMBER']) {
    const v = Number(env[key]);
    if (env[key] && Number.isFinite(v)) return v % 2 ** 31;
  }
  const d = new Date();
  return d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}

export interface FuzzOptions {
  runs: number;
  seed: number;
  shards?: number;
  only?: string;
  skip?: string;
  /** Per shard. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Streams the children's output (progress lines) to this process's stdout. */
  echo?: boolean;
}

export interface ShardResult {
  shard: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  report: DriverReport | null;
  stdoutTail: string;
  stderrTail: string;
  ms: number;
}

export interface FuzzResult {
  seed: number;
  runs: number;
  shards: ShardResult[];
  targets: TargetReport[];
  missing: string[];
  todo: string[];
  /** Empty when everything passed; otherwise one line (or paragraph) per problem. */
  problems: string[];
}

function tail(s: string, n = 4000): string {
  return s.length > n ? `…${s.slice(-n)}` : s;
}

function runShard(index: number, count: number, o: FuzzOptions, dir: string): Promise<ShardResult> {
  const shard = `${index}/${count}`;
  const reportPath = join(dir, `report-${index}.json`);
  const args = ['--import', tsRegister, driver, '--runs', String(o.runs), '--seed', String(o.seed), '--shard', shard, '--report', reportPath];
  if (o.only) args.push('--only', o.only);
  if (o.skip) args.push('--skip', o.skip);
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, env: o.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => {
      stdout = tail(stdout + b.toString(), 200_000);
      if (o.echo) process.stdout.write(b);
    });
    child.stderr.on('data', (b: Buffer) => {
      stderr = tail(stderr + b.toString(), 200_000);
      if (o.echo) process.stderr.write(b);
    });
    let timedOut = false;
    const timer = o.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, o.timeoutMs)
      : undefined;
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      let report: DriverReport | null = null;
      try {
        if (existsSync(reportPath)) report = JSON.parse(readFileSync(reportPath, 'utf8')) as DriverReport;
      } catch {
        report = null;
      }
      resolve({ shard, code, signal, timedOut, report, stdoutTail: tail(stdout), stderrTail: tail(stderr), ms: Date.now() - t0 });
    });
  });
}

export async function runFuzz(o: FuzzOptions): Promise<FuzzResult> {
  const count = Math.max(1, o.shards ?? 1);
  const dir = mkdtempSync(join(tmpdir(), 'effrank-fuzz-'));
  try {
    const shards = await Promise.all(Array.from({ length: count }, (_, i) => runShard(i, count, o, dir)));
    const problems: string[] = [];
    for (const s of shards) {
      const where = s.report?.running ? ` while fuzzing ${s.report.running}` : '';
      const output = `\n--- stderr (tail) ---\n${s.stderrTail}\n--- stdout (tail) ---\n${s.stdoutTail}`;
      if (s.timedOut) problems.push(`shard ${s.shard} timed out after ${s.ms} ms${where}${output}`);
      else if (s.signal) problems.push(`shard ${s.shard} CRASHED with ${s.signal}${where}${output}`);
      else if (!s.report || !s.report.complete) problems.push(`shard ${s.shard} died (exit ${s.code}) without a complete report${where}${output}`);
      else if (s.code !== 0 && !s.report.targets.some((t) => t.failed) && s.report.missing.length === 0) problems.push(`shard ${s.shard} exited ${s.code}${output}`);
    }
    const targets = shards.flatMap((s) => s.report?.targets ?? []);
    for (const t of targets) if (t.failed) problems.push(`${t.name} failed (seed ${t.seed}):\n${t.message}`);
    const missing = shards.flatMap((s) => s.report?.missing ?? []);
    for (const m of missing) problems.push(`no fuzz target covers the entry point ${m}`);
    const todo = shards[0]?.report?.todo ?? [];
    return { seed: o.seed, runs: o.runs, shards, targets, missing, todo, problems };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One line per target: runs, calls, outcome counts, time. */
export function summary(r: FuzzResult): string {
  const lines = [`fuzz: ${r.runs} runs per target, seed ${r.seed}, ${r.targets.length} targets, ${r.shards.length} shard(s)`];
  for (const t of [...r.targets].sort((a, b) => a.name.localeCompare(b.name))) {
    const codes = Object.entries(t.errors).map(([c, k]) => `${c.replace('ERR_', '')} ${k}`).join(', ');
    lines.push(`  ${t.failed ? 'FAIL' : 'ok  '} ${t.name.padEnd(46)} ${String(t.numRuns).padStart(6)} runs ${String(t.calls).padStart(7)} calls  ok ${t.ok}${codes ? `, ${codes}` : ''}  ${t.ms} ms (slowest call ${t.maxCallMs} ms)`);
  }
  for (const t of r.todo) lines.push(`  TODO ${t}`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const env = process.env;
  const runs = Number(env.FUZZ_RUNS ?? 10_000);
  const seed = defaultSeed();
  const shards = Number(env.FUZZ_SHARDS ?? Math.min(2, availableParallelism()));
  const t0 = Date.now();
  const result = await runFuzz({ runs, seed, shards, only: env.FUZZ_ONLY, skip: env.FUZZ_SKIP, echo: true });
  process.stdout.write(`\n${summary(result)}\n\nwall time ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  if (result.problems.length) {
    process.stdout.write(`\n${result.problems.length} problem(s):\n${result.problems.join('\n\n')}\n`);
    process.stdout.write(`\nReproduce: FUZZ_SEED=${seed} FUZZ_RUNS=${runs} FUZZ_ONLY='<target>' npm run test:fuzz\n`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
