/**
 * The tracker's log and error paths: a second tracker on a live log path,
 * appending, uncreatable paths, a full disk (a 64 KiB tmpfs in a mount
 * namespace, as root), an onError that throws, and `effrank report` on a log
 * whose last line was cut off. The crash-prone cases run in child processes.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import { EffrankError } from '../src/index.js';
import { loadLog, parseLog } from '../src/report/index.js';
import { runReport } from '../src/cli/report-command.js';
import { RankTracker } from '../src/tfjs/index.js';
import { codeOf } from './helpers/expect.js';
import { mlpProblem } from './helpers-tracker/problem.js';
import { lastJson, repoRoot, runChild, tsRegister } from './hardening/workers/spawn.js';

const tmp = mkdtempSync(join(tmpdir(), 'effrank-tracker-log-'));
const isRoot = process.getuid?.() === 0;

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

afterEach(() => {
  vi.restoreAllMocks();
});

async function track(log: string, steps: number[], extra: object = {}) {
  const p = mlpProblem(4);
  const tracker = new RankTracker({ tf, model: p.model, probe: p.x, log, ...extra });
  for (const step of steps) await tracker.observe({ step });
  await tracker.close();
  p.dispose();
  return tracker;
}

const stepsIn = (path: string) => readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => (JSON.parse(l) as { step: number }).step);

describe('log safety', () => {
  it('a second tracker on a path being written fails with ERR_LOG_IN_USE; after close() the path is free', async () => {
    const log = join(tmp, 'shared.jsonl');
    const p = mlpProblem(4);
    const first = new RankTracker({ tf, model: p.model, probe: p.x, log });
    await first.observe({ step: 1 });
    let error: unknown;
    try {
      new RankTracker({ tf, model: p.model, probe: p.x, log: join(tmp, '.', 'shared.jsonl') });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EffrankError);
    expect((error as EffrankError).code).toBe('ERR_LOG_IN_USE');
    expect((error as EffrankError).message).toContain('shared.jsonl');
    await first.observe({ step: 2 });
    await first.close();
    expect(stepsIn(log)).toEqual([1, 2]); // the refused tracker truncated nothing
    await track(log, [7]);
    expect(stepsIn(log)).toEqual([7]); // a new tracker starts a new log by default
    p.dispose();
  });

  it('appendLog: true appends, dropping a cut-off last line a killed run left', async () => {
    const log = join(tmp, 'append.jsonl');
    await track(log, [1, 2]);
    appendFileSync(log, '{"step": 3, "epoch": 3, "lo');
    await track(log, [4, 5], { appendLog: true });
    expect(stepsIn(log)).toEqual([1, 2, 4, 5]);
    expect(loadLog(log).map((r) => r.step)).toEqual([1, 2, 4, 5]);
  });

  it('an uncreatable log path is ERR_IO naming the path and the reason, not a raw EEXIST', () => {
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'x');
    const p = mlpProblem(4);
    for (const log of [join(file, 'run.jsonl'), join(file, 'sub', 'run.jsonl'), tmp]) {
      let error: unknown;
      try {
        new RankTracker({ tf, model: p.model, probe: p.x, log });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(EffrankError);
      expect((error as EffrankError).code).toBe('ERR_IO');
      expect((error as EffrankError).message).toContain(log);
      expect((error as EffrankError).message).toMatch(/EEXIST|ENOTDIR|EISDIR/);
    }
    p.dispose();
  });
});

describe('effrank report on a log whose last line was cut off', () => {
  it('skips the cut-off line with a warning and renders the rest', async () => {
    const log = join(tmp, 'cut.jsonl');
    await track(log, [1, 2, 3]);
    const whole = readFileSync(log, 'utf8');
    writeFileSync(log, whole + whole.split('\n')[0]!.slice(0, 50));
    const warnings: string[] = [];
    expect(loadLog(log, { onWarning: (m) => warnings.push(m) }).map((r) => r.step)).toEqual([1, 2, 3]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/cut\.jsonl line 4 is cut off .* read the 3 records before it/);

    const printed: string[] = [];
    const warned = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const out = join(tmp, 'cut.report.html');
    await runReport(log, { out }, (line) => printed.push(line));
    expect(warned.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringMatching(/^effrank report: warning: .*line 4 is cut off/)]);
    expect(printed[0]).toMatch(/from 3 records/);
    expect(readFileSync(out, 'utf8')).toContain('</html>');
  });

  it('still refuses a bad line in the middle, a bad last line that ends in a newline, and a log of only a cut-off line', () => {
    const good = JSON.stringify({ step: 1, epoch: 1, loss: null, layer: 'h', n: 2, N: 3, epsRank: { '0.001': 1 }, lambdaMax: 1 });
    const onWarning = () => {};
    expect(codeOf(() => parseLog(`${good}\n{"step": 2\n${good}\n`, 'x', { onWarning }))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => parseLog(`${good}\n{"step": 2\n`, 'x', { onWarning }))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => parseLog('{"step": 2', 'x', { onWarning }))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => parseLog(good, 'x', { onWarnings: onWarning } as never))).toBe('ERR_INVALID_ARGUMENT');
    expect(parseLog(`${good}\n${good}`, 'x').length).toBe(2); // a complete last line without its newline is fine
  });
});

describe('failures while tracking (child processes with timeouts)', () => {
  it('an onError that throws stops nothing: every record kept, flush resolves, the process exits 0', async () => {
    const r = await runChild('test/helpers-tracker/log-child.ts', ['on-error-throws'], { timeoutMs: 120_000 });
    const out = lastJson<{ epochs: number; steps: number[]; onRecordCalls: number; onErrorCalls: number; errors: string[]; flushed: string }>(r);
    expect(r.code).toBe(0);
    expect(out.epochs).toBe(6);
    expect(out.steps).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(out.onRecordCalls).toBe(7);
    expect(out.onErrorCalls).toBe(1); // told once per source
    expect(out.errors.filter((m) => m === 'user bug in onRecord')).toHaveLength(7);
    expect(out.errors.filter((m) => m === 'user bug in onError')).toHaveLength(1);
    expect(out.flushed).toBe('resolved');
    expect(r.stderr).toMatch(/onError threw while handling a onRecord error/);
  }, 150_000);

  it.skipIf(!isRoot)('a full disk: ENOSPC reported as ERR_IO, the log a whole-line prefix of the records, the difference counted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'effrank-full-'));
    const child = `mount -t tmpfs -o size=64k none '${dir}' && exec '${process.execPath}' --import '${tsRegister}' '${join(repoRoot, 'test/helpers-tracker/log-child.ts')}' full-disk '${dir}'`;
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const p = spawn('unshare', ['-m', 'sh', '-c', child], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
      p.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      const timer = setTimeout(() => p.kill('SIGKILL'), 150_000);
      p.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
    const out = lastJson<{
      records: number; onRecord: number; unlogged: number; logLines: number; endsWithNewline: boolean; tail: string;
      logMatchesRecords: boolean; errors: { code: string; message: string }[]; allErrors: number;
    }>({ ...r, signal: null, ms: 0 });
    expect(r.code).toBe(0);
    expect(out.records).toBe(2 * 81); // every record kept in memory, both layers of every measurement
    expect(out.onRecord).toBe(out.records); // and handed to onRecord
    expect(out.logLines).toBeGreaterThan(10);
    expect(out.logLines).toBeLessThan(out.records); // the disk did fill up
    expect(out.unlogged).toBe(out.records - out.logLines);
    expect(out.endsWithNewline).toBe(true);
    expect(out.tail).toBe('');
    expect(out.logMatchesRecords).toBe(true);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]!.code).toBe('ERR_IO');
    expect(out.errors[0]!.message).toMatch(/ENOSPC \(no space left on the device\)/);
    expect(out.errors[0]!.message).toContain(`the log holds the first ${out.logLines} records`);
    expect(out.allErrors).toBe(1);
  }, 180_000);
});
