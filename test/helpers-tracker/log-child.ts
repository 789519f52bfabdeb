/**
 * Tracker failure probes, run in a child process by tracker-log.test.ts so a
 * crash, a hang or an exit on an unhandled rejection fails the test instead
 * of the suite. Prints one JSON report line.
 *   on-error-throws        onRecord and onError both throw during fit
 *   full-disk DIR          tracks into DIR/run.jsonl (DIR: a 64 KiB tmpfs) until the disk is full
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

import { RankTracker } from '../../src/tfjs/index.js';
import { mlpProblem } from './problem.js';

await tf.setBackend('cpu');
const [scenario, dir] = process.argv.slice(2);

if (scenario === 'on-error-throws') {
  const p = mlpProblem(6);
  let onRecordCalls = 0;
  let onErrorCalls = 0;
  const tracker = new RankTracker({
    tf, model: p.model, probe: p.x, queue: { policy: 'wait' },
    onRecord: () => {
      onRecordCalls++;
      throw new Error('user bug in onRecord');
    },
    onError: () => {
      onErrorCalls++;
      throw new Error('user bug in onError');
    },
  });
  const history = await p.model.fit(p.x, p.y, { epochs: 6, batchSize: 128, verbose: 0, callbacks: [tracker.callback()] });
  let flushed = 'resolved';
  await tracker.flush().catch((e: Error) => (flushed = `rejected: ${e.message}`));
  console.log(JSON.stringify({
    epochs: history.epoch.length, steps: tracker.records.map((r) => r.step), onRecordCalls, onErrorCalls,
    errors: tracker.errors.map((e) => (e as Error).message), flushed,
  }));
} else if (scenario === 'full-disk') {
  const p = mlpProblem(24);
  const log = join(dir!, 'run.jsonl');
  const seen: number[] = [];
  const errors: { code: unknown; message: string }[] = [];
  const tracker = new RankTracker({
    tf, model: p.model, probe: p.x, layers: 'all-hidden', log, queue: { policy: 'wait' },
    onRecord: (r) => void seen.push(r.step),
    onError: (e) => void errors.push({ code: (e as { code?: unknown }).code, message: (e as Error).message }),
  });
  // Each record holds 24 eigenvalues (~700 bytes): 2 layers × 80 epochs overfill 64 KiB.
  await p.model.fit(p.x, p.y, { epochs: 80, batchSize: 128, verbose: 0, callbacks: [tracker.callback()] });
  await tracker.close();
  const text = readFileSync(log, 'utf8');
  const lines = text.split('\n');
  const complete = lines.slice(0, -1);
  const parsed = complete.map((l) => JSON.parse(l) as { step: number; layer: string });
  console.log(JSON.stringify({
    records: tracker.records.length, onRecord: seen.length, unlogged: tracker.unlogged, logLines: complete.length,
    endsWithNewline: text.endsWith('\n'), tail: lines.at(-1),
    logMatchesRecords: parsed.every((r, i) => r.step === tracker.records[i]!.step && r.layer === tracker.records[i]!.layer),
    errors, allErrors: tracker.errors.length,
  }));
} else {
  throw new Error(`unknown scenario ${scenario}`);
}
