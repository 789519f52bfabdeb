/**
 * The fuzz driver: runs every target for --runs cases with a seed derived
 * from --seed and the target's name, and writes a JSON report. Meant to run
 * in a child process (see run.ts), so that a crash of the process is seen by
 * the parent instead of taking the test runner with it:
 *
 *   node --import ./test/hardening/workers/ts-register.mjs test/fuzz/driver.ts \
 *     --runs 10000 --seed 20250101 [--shard 0/2] [--only regex] [--skip regex] --report out.json
 *
 * The report is rewritten before and after every target ("running" names the
 * target in progress), so a report left behind by a dead process says where
 * it died.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import fc from 'fast-check';

import { newStats } from './checks.js';
import type { Target } from './target.js';
import { coreTargets } from './targets-core.js';
import { NOT_ENTRY_POINTS, compatTargets, moduleExports } from './targets-compat.js';
import { ioTargets } from './targets-io.js';
import { rankTargets } from './targets-rank.js';

export interface TargetReport {
  name: string;
  covers: string[];
  async: boolean;
  seed: number;
  /** Property runs fast-check completed (= --runs unless it failed). */
  numRuns: number;
  /** Calls into the library (several per run for some targets). */
  calls: number;
  ok: number;
  errors: Record<string, number>;
  ms: number;
  maxCallMs: number;
  failed: boolean;
  message?: string;
}

export interface DriverReport {
  runs: number;
  seed: number;
  shard: string;
  complete: boolean;
  running: string | null;
  targets: TargetReport[];
  /** Exported entry points no target covers. */
  missing: string[];
  todo: string[];
  node: string;
}

/** FNV-1a: a per-target seed from the run's seed and the target name. */
export function targetSeed(seed: number, name: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193);
  return h | 0;
}

/** Every target; `todo` lists entry points knowingly left unfuzzed (none at present). */
export async function allTargets(): Promise<{ targets: Target[]; todo: string[] }> {
  return { targets: [...coreTargets(), ...rankTargets(), ...compatTargets(), ...ioTargets()], todo: [] };
}

export async function missingCoverage(targets: Target[]): Promise<string[]> {
  const covered = new Set(targets.flatMap((t) => t.covers));
  const missing: string[] = [];
  for (const [module, names] of Object.entries(await moduleExports())) {
    for (const name of names) {
      const key = `${module}:${name}`;
      if (!covered.has(key) && !(key in NOT_ENTRY_POINTS)) missing.push(key);
    }
  }
  return missing;
}

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const runs = Number(arg('runs', '300'));
  const seed = Number(arg('seed', '1'));
  const shard = arg('shard', '0/1')!;
  const only = arg('only');
  const skip = arg('skip');
  const reportPath = arg('report');
  const [index, count] = shard.split('/').map(Number) as [number, number];
  const { targets: everything, todo } = await allTargets();
  const missing = index === 0 ? await missingCoverage(everything) : [];
  const mine = everything.filter((t, i) => i % count === index && (!only || new RegExp(only).test(t.name)) && (!skip || !new RegExp(skip).test(t.name)));
  const report: DriverReport = { runs, seed, shard, complete: false, running: null, targets: [], missing, todo, node: process.version };
  const save = () => reportPath && writeFileSync(reportPath, JSON.stringify(report, null, 1));

  for (const t of mine) {
    report.running = t.name;
    save();
    const stats = newStats();
    const s = targetSeed(seed, t.name);
    const t0 = performance.now();
    const params = { numRuns: runs, seed: s, includeErrorInReport: true };
    const details = (t.async ? await fc.check(t.property(stats) as never, params) : fc.check(t.property(stats) as never, params)) as fc.RunDetails<unknown>;
    const r: TargetReport = {
      name: t.name,
      covers: t.covers,
      async: t.async,
      seed: s,
      numRuns: details.numRuns,
      calls: stats.runs,
      ok: stats.ok,
      errors: stats.errors,
      ms: Math.round(performance.now() - t0),
      maxCallMs: Math.round(stats.maxMs * 10) / 10,
      failed: details.failed,
    };
    if (details.failed) r.message = fc.defaultReportMessage(details) ?? 'failed';
    report.targets.push(r);
    const codes = Object.entries(stats.errors).map(([c, k]) => `${c.replace('ERR_', '')}:${k}`).join(' ');
    process.stdout.write(`${r.failed ? 'FAIL' : 'ok  '} ${t.name.padEnd(46)} ${String(r.numRuns).padStart(6)} runs ${String(r.ms).padStart(7)} ms  ok:${stats.ok} ${codes}\n`);
    if (r.failed) process.stdout.write(`${r.message}\n`);
  }
  report.running = null;
  report.complete = true;
  save();
  for (const m of missing) process.stdout.write(`MISSING no fuzz target covers ${m}\n`);
  for (const m of todo) process.stdout.write(`TODO ${m}\n`);
  process.exitCode = report.targets.some((t) => t.failed) || missing.length > 0 ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) await main();
