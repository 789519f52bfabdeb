/**
 * effrank/tensorboard: event files decoded by an independent reader written
 * for the tests (test/helpers-tensorboard/reader.ts: framing, both CRCs,
 * protobuf fields) and by python3-protobuf from a schema compiled with
 * protoc; the tracker's `tensorboard` option against the JSONL log of the
 * same run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';

import { TensorBoardWriter, crc32c, maskedCrc32c } from '../src/tensorboard/index.js';
import { RankTracker, type RankRecord } from '../src/tfjs/index.js';
import { expectCode } from './helpers/expect.js';
import { CorruptEventFile, type DecodedEvent, crc32cBitwise, masked, readEventFile, readRecords, scalarsOf } from './helpers-tensorboard/reader.js';

const PYTHON = '/usr/bin/python3';
const HELPERS = join(__dirname, 'helpers-tensorboard');
const tmp = mkdtempSync(join(tmpdir(), 'effrank-tb-'));
let dirs = 0;
const freshDir = () => join(tmp, `run${dirs++}`);

function eventFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.startsWith('events.out.tfevents.')).map((f) => join(dir, f));
}

describe('CRC-32C', () => {
  it('gives the published check value of "123456789" (0xE3069283), as the test reader does', () => {
    const bytes = new TextEncoder().encode('123456789');
    expect(crc32c(bytes)).toBe(0xe3069283);
    expect(crc32cBitwise(bytes)).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });

  it('agrees with the bitwise reference, masked and unmasked, on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => crc32c(b) === crc32cBitwise(b) && maskedCrc32c(b) === masked(crc32cBitwise(b))));
  });
});

describe('TensorBoardWriter', () => {
  it('writes events.out.tfevents.<seconds>.<hostname> with file_version first, then scalars, text and a histogram', () => {
    const dir = freshDir();
    const before = Math.floor(Date.now() / 1000);
    const w = new TensorBoardWriter(dir);
    const values = [1e-300, 5e-324, -1.5, 0.1 + 0.2, 1e300, 42];
    values.forEach((v, i) => w.scalar('a/b', v, i));
    w.text('notes', '**bold** ε-rank', 7);
    const samples = [0, 0.25, 0.5, 1, 1, 2, 3.5, 4];
    w.histogram('h', samples, 3);
    w.close();
    const files = eventFiles(dir);
    expect(files).toHaveLength(1);
    const m = /events\.out\.tfevents\.(\d+)\.(.+)$/.exec(files[0]!)!;
    expect(Number(m[1])).toBeGreaterThanOrEqual(before);
    expect(Number(m[1])).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(m[2]).toBe(hostname());

    const events = readEventFile(files[0]!);
    expect(events[0]!.fileVersion).toBe('brain.Event:2');
    expect(events[0]!.values).toEqual([]);
    expect(events).toHaveLength(1 + values.length + 2);
    expect(scalarsOf(events).get('a/b')).toEqual(values.map((v, i) => [i, v]));
    const scalar = events[1]!.values[0]!;
    expect(scalar.tensor).toMatchObject({ dtype: 2, dims: 0 });
    expect(scalar.dataClass).toBe(1);
    const textValue = events[1 + values.length]!;
    expect(textValue.step).toBe(7);
    expect(textValue.values[0]).toMatchObject({ tag: 'notes', plugin: 'text', tensor: { dtype: 7, strings: ['**bold** ε-rank'] } });
    const h = events.at(-1)!;
    expect(h.step).toBe(3);
    const histo = h.values[0]!.histo!;
    expect(histo).toMatchObject({ min: 0, max: 4, num: samples.length, sum: 12.25, sumSquares: samples.reduce((a, b) => a + b * b, 0) });
    expect(histo.bucket.reduce((a, b) => a + b, 0)).toBe(samples.length);
    // Each value lies in (limit[i-1], limit[i]] (the minimum in the first bucket).
    const counted = new Array(histo.bucket.length).fill(0);
    for (const s of samples) counted[Math.max(0, histo.bucketLimit.findIndex((l) => s <= l))]++;
    expect(histo.bucket).toEqual(counted);
    expect(histo.bucketLimit.at(-1)).toBe(4);
    for (const e of events) expect(e.wallTime).toBeGreaterThan(before - 1);
  });

  it('buckets extreme finite values (±1e308, subnormals) without overflow in the bucket edges', () => {
    const dir = freshDir();
    const samples = [-1e308, 1e308, 0, 5e-324, -5e-324, 1.7e308];
    new TensorBoardWriter(dir, { buckets: 4 }).histogram('x', samples, 0).close();
    const histo = readEventFile(eventFiles(dir)[0]!)[1]!.values[0]!.histo!;
    expect(histo).toMatchObject({ min: -1e308, max: 1.7e308, num: 6 });
    expect(histo.bucketLimit.every(Number.isFinite)).toBe(true);
    // Edges at −1e308 + k·(2.7e308/4): −3.25e307, 3.5e307, 1.025e308, 1.7e308.
    expect(histo.bucket).toEqual([1, 3, 1, 1]);
    expect(histo.sumSquares).toBe(Infinity);
  });

  it('is read the same by python3-protobuf (a second, independent decoder)', () => {
    const dir = freshDir();
    const w = new TensorBoardWriter(dir);
    w.scalar('x', 0.1, 1).scalar('x', -2e-310, 2).text('t', 'hé', 2).histogram('h', [1, 2, 3], 5).close();
    const out = join(tmp, `py${dirs++}`);
    execFileSync('mkdir', ['-p', out]);
    execFileSync('protoc', [`--proto_path=${HELPERS}`, `--python_out=${out}`, join(HELPERS, 'event.proto')]);
    const lines = execFileSync(PYTHON, [join(HELPERS, 'decode_events.py'), out, eventFiles(dir)[0]!], { encoding: 'utf8', timeout: 30_000 })
      .trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0].file_version).toBe('brain.Event:2');
    expect(lines.slice(1).map((l: { step: number }) => l.step)).toEqual([1, 2, 2, 5]);
    expect(lines[1].values[0]).toMatchObject({ tag: 'x', plugin: 'scalars', doubles: [0.1], dtype: 2 });
    expect(lines[2].values[0].doubles).toEqual([-2e-310]);
    expect(lines[3].values[0]).toMatchObject({ tag: 't', plugin: 'text', strings: ['hé'], dtype: 7 });
    expect(lines[4].values[0].num).toBe(3);
    expect(lines[4].values[0].bucket.reduce((a: number, b: number) => a + b, 0)).toBe(3);
  });

  it('the test reader detects a corrupt data CRC, a corrupt length CRC and a torn record (a test of the test)', () => {
    const dir = freshDir();
    new TensorBoardWriter(dir).scalar('x', 1, 1).close();
    const good = readFileSync(eventFiles(dir)[0]!);
    expect(readRecords(good)).toHaveLength(2);
    const flipData = Buffer.from(good);
    flipData[flipData.length - 6]! ^= 0x01; // inside the last record's data
    expect(() => readRecords(flipData)).toThrow(/data CRC mismatch/);
    const flipCrc = Buffer.from(good);
    flipCrc[flipCrc.length - 1]! ^= 0x80; // the last record's data CRC itself
    expect(() => readRecords(flipCrc)).toThrow(CorruptEventFile);
    const flipLength = Buffer.from(good);
    flipLength[9]! ^= 0x10; // the first record's length CRC
    expect(() => readRecords(flipLength)).toThrow(/length CRC mismatch at 0/);
    expect(() => readRecords(good.subarray(0, good.length - 2))).toThrow(/torn record/);
  });

  it('round-trips any scalar series exactly (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: 2 ** 40 }), fc.double({ noNaN: true })), { minLength: 1, maxLength: 20 }), (series) => {
        const dir = freshDir();
        const w = new TensorBoardWriter(dir);
        for (const [step, v] of series) w.scalar('s', v, step);
        w.close();
        const got = scalarsOf(readEventFile(eventFiles(dir)[0]!)).get('s')!;
        expect(got.map(([s]) => s)).toEqual(series.map(([s]) => s));
        got.forEach(([, v], i) => expect(Object.is(v, series[i]![1])).toBe(true));
      }),
      { numRuns: 25 },
    );
  });

  it('a second writer in the same second gets its own file; flush() appends what is pending', () => {
    const dir = freshDir();
    const a = new TensorBoardWriter(dir);
    const b = new TensorBoardWriter(dir);
    expect(a.path).not.toBe(b.path);
    expect(readEventFile(a.path)).toHaveLength(1); // the file_version event, written at once
    a.scalar('x', 1, 1);
    a.flush();
    expect(readEventFile(a.path)).toHaveLength(2);
    a.close();
    b.close();
    b.close();
  });

  it('rejects bad input with ERR_INVALID_ARGUMENT', () => {
    const dir = freshDir();
    const w = new TensorBoardWriter(dir);
    expectCode(() => w.scalar('', 1, 1), 'ERR_INVALID_ARGUMENT');
    expectCode(() => w.scalar('x', 1, -1), 'ERR_INVALID_ARGUMENT');
    expectCode(() => w.scalar('x', 1, 1.5), 'ERR_INVALID_ARGUMENT');
    expectCode(() => w.scalar('x', '1' as unknown as number, 1), 'ERR_INVALID_ARGUMENT');
    expectCode(() => w.histogram('h', [1, NaN], 1), 'ERR_INVALID_ARGUMENT');
    expectCode(() => w.histogram('h', [], 1), 'ERR_INVALID_ARGUMENT');
    expectCode(() => w.text('t', 3 as unknown as string, 1), 'ERR_INVALID_ARGUMENT');
    expect(expectCode(() => new TensorBoardWriter(dir, { bucket: 3 } as never), 'ERR_INVALID_ARGUMENT').message).toMatch(/did you mean 'buckets'/);
    w.close();
    expectCode(() => w.scalar('x', 1, 1), 'ERR_INVALID_ARGUMENT');
    const file = join(tmp, 'a-file');
    writeFileSync(file, '');
    expect(expectCode(() => new TensorBoardWriter(join(file, 'sub')), 'ERR_INVALID_ARGUMENT').message).toMatch(/cannot create/);
    expect(readEventFile(w.path)).toHaveLength(1); // the failed calls wrote nothing
  });
});

describe('RankTracker { tensorboard }', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });

  it('writes loss, eps_rank/<layer>/<ε>, lambda_max/<layer>, each measure, log10 λ histograms and the staircase text, matching the JSONL log', async () => {
    const N = 64;
    const x = tf.linspace(-1, 1, N).reshape([N, 1]);
    const y = tf.tidy(() => tf.sin(x.mul(3)));
    const model = tf.sequential();
    model.add(tf.layers.dense({ units: 12, activation: 'tanh', inputShape: [1], name: 'h1', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }));
    model.add(tf.layers.dense({ units: 10, activation: 'tanh', name: 'h2', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }));
    model.add(tf.layers.dense({ units: 1, name: 'out', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }));
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
    const dir = freshDir();
    const log = join(dir, 'run.jsonl');
    const eps = [1e-3, 1e-6];
    const tracker = new RankTracker({ tf, model, probe: x, layers: 'all-hidden', eps, log, tensorboard: dir, measures: ['stableRank', 'entropyRank'], queue: { policy: 'wait' } });
    await model.fit(x, y, { epochs: 4, batchSize: N, verbose: 0, callbacks: [tracker.callback()] });
    await tracker.flush();
    model.dispose();
    x.dispose();
    y.dispose();
    expect(tracker.errors).toEqual([]);

    const records = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as RankRecord);
    expect(records.length).toBe(2 * 5); // steps 0..4, two layers
    const files = eventFiles(dir);
    expect(files).toHaveLength(1);
    const events: DecodedEvent[] = readEventFile(files[0]!);
    expect(events[0]!.fileVersion).toBe('brain.Event:2');
    const scalars = scalarsOf(events);
    const expected = new Map<string, Array<[number, number]>>();
    const add = (tag: string, step: number, v: number) => expected.set(tag, [...(expected.get(tag) ?? []), [step, v]]);
    const lossSteps = new Set<number>();
    for (const r of records) {
      if (r.loss !== null && !lossSteps.has(r.step)) (lossSteps.add(r.step), add('loss', r.step, r.loss));
      for (const e of eps) add(`eps_rank/${r.layer}/${e}`, r.step, r.epsRank[String(e)]!);
      if (r.lambdaMax !== null) add(`lambda_max/${r.layer}`, r.step, r.lambdaMax);
      add(`entropyRank/${r.layer}`, r.step, r.entropyRank!);
      add(`stableRank/${r.layer}`, r.step, r.stableRank!);
    }
    expect(lossSteps.size).toBe(4);
    expect(new Map([...scalars].sort())).toEqual(new Map([...expected].sort()));

    const histograms = events.flatMap((e) => e.values.filter((v) => v.histo).map((v) => ({ step: e.step, tag: v.tag, histo: v.histo! })));
    expect(histograms).toHaveLength(records.length);
    for (const r of records) {
      const h = histograms.find((x) => x.step === r.step && x.tag === `log10_eigenvalues/${r.layer}`)!;
      const logs = r.eigenvalues!.filter((v) => v > 0).map(Math.log10);
      expect(h.histo.num).toBe(logs.length);
      expect(h.histo.max).toBeCloseTo(Math.log10(r.lambdaMax!), 12);
      expect(h.histo.min).toBe(Math.min(...logs));
    }

    const texts = events.flatMap((e) => e.values.filter((v) => v.plugin === 'text').map((v) => ({ step: e.step, tag: v.tag, md: v.tensor!.strings[0]! })));
    expect(texts.map((t) => t.tag).sort()).toEqual(['staircase/h1', 'staircase/h2']);
    const staircase = tracker.staircase();
    for (const t of texts) {
      expect(t.step).toBe(4);
      const layer = t.tag.split('/')[1]!;
      const last = records.filter((r) => r.layer === layer).at(-1)!;
      for (const e of eps) {
        const s = staircase[layer]![String(e)]!;
        expect(t.md).toContain(`| ${e} | ${last.epsRank[String(e)]} | ${s.stairs.length} | ${s.jumps.length} |`);
      }
    }
  });

  it('rejects a tensorboard option that is not a path', () => {
    const model = tf.sequential();
    model.add(tf.layers.dense({ units: 2, inputShape: [1] }));
    model.add(tf.layers.dense({ units: 1 }));
    const probe = tf.zeros([4, 1]);
    expectCode(() => new RankTracker({ tf, model, probe, tensorboard: '' }), 'ERR_INVALID_ARGUMENT');
    expectCode(() => new RankTracker({ tf, model, probe, tensorboard: 3 as unknown as string }), 'ERR_INVALID_ARGUMENT');
    probe.dispose();
    model.dispose();
    expect(existsSync(join(tmp, '3'))).toBe(false);
  });
});
