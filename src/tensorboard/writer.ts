/**
 * TensorBoardWriter: TensorBoard event files in pure TypeScript.
 *
 * The file is `<logdir>/events.out.tfevents.<seconds>.<hostname>` (a `.N`
 * suffix if that name is taken), a sequence of TFRecords
 *
 *   uint64 LE length · uint32 LE masked CRC-32C of those 8 bytes · data (an Event) · uint32 LE masked CRC-32C of data
 *
 * whose first Event carries file_version "brain.Event:2". Events are buffered
 * in memory and appended on flush(), and automatically by the first write
 * once 64 KiB are pending or 2 s have passed since the last flush (no timer
 * keeps the process alive), and on close(). A record is always written
 * whole, so a reader never sees a torn one between flushes.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

import { EffrankError, invalidArgument } from '../core/errors.js';
import { describe } from '../core/matrix.js';
import { readOptions } from '../core/options.js';
import { maskedCrc32c } from './crc32c.js';
import { fileVersionEvent, histogramEvent, histogramOf, scalarEvent, textEvent } from './event.js';

const AUTO_FLUSH_BYTES = 64 << 10;
const AUTO_FLUSH_MS = 2000;

export interface TensorBoardWriterOptions {
  /** Buckets of each histogram. Default 30. */
  buckets?: number;
}

/** One framed TFRecord around `data`. */
export function tfRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(16 + data.length);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

function checkTag(tag: unknown): string {
  if (typeof tag !== 'string' || tag === '') throw invalidArgument(`TensorBoardWriter: tag must be a non-empty string, got ${describe(tag)}`);
  return tag;
}

function checkStep(step: unknown): number {
  if (typeof step !== 'number' || !Number.isSafeInteger(step) || step < 0) {
    throw invalidArgument(`TensorBoardWriter: step must be a non-negative integer, got ${describe(step)}`);
  }
  return step;
}

function openEventFile(logdir: string): { fd: number; path: string } {
  try {
    mkdirSync(logdir, { recursive: true });
  } catch (e) {
    throw invalidArgument(`TensorBoardWriter: cannot create ${logdir} (${(e as { code?: string }).code ?? String(e)})`);
  }
  const base = join(logdir, `events.out.tfevents.${Math.floor(Date.now() / 1000)}.${hostname()}`);
  for (let k = 0; ; k++) {
    const path = k === 0 ? base : `${base}.${k}`;
    try {
      return { fd: openSync(path, 'wx'), path };
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code !== 'EEXIST' || k >= 1000) throw invalidArgument(`TensorBoardWriter: cannot create ${path} (${code ?? String(e)})`);
    }
  }
}

export class TensorBoardWriter {
  /** The event file being written. */
  readonly path: string;
  readonly #buckets: number;
  #fd: number | null;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #flushedAt = Date.now();

  constructor(logdir: string, options?: TensorBoardWriterOptions) {
    if (typeof logdir !== 'string' || logdir === '') throw invalidArgument(`TensorBoardWriter: logdir must be a directory path, got ${describe(logdir)}`);
    const o = readOptions(options, 'TensorBoardWriter', ['buckets']);
    const buckets = o.buckets ?? 30;
    if (!Number.isSafeInteger(buckets) || buckets < 1 || buckets > 10000) {
      throw invalidArgument(`TensorBoardWriter: buckets must be an integer in [1, 10000], got ${describe(o.buckets)}`);
    }
    this.#buckets = buckets;
    const { fd, path } = openEventFile(logdir);
    this.#fd = fd;
    this.path = path;
    this.#append(fileVersionEvent(Date.now() / 1000));
    this.flush();
  }

  get closed(): boolean {
    return this.#fd === null;
  }

  /** A float64 scalar. Non-finite values are written as they are (TensorBoard shows NaN/∞). */
  scalar(tag: string, value: number, step: number): this {
    checkTag(tag);
    checkStep(step);
    if (typeof value !== 'number') throw invalidArgument(`TensorBoardWriter.scalar: value must be a number, got ${describe(value)}`);
    return this.#append(scalarEvent(tag, value, step, Date.now() / 1000));
  }

  /** Markdown, shown by TensorBoard's Text tab. */
  text(tag: string, markdown: string, step: number): this {
    checkTag(tag);
    checkStep(step);
    if (typeof markdown !== 'string') throw invalidArgument(`TensorBoardWriter.text: markdown must be a string, got ${describe(markdown)}`);
    return this.#append(textEvent(tag, markdown, step, Date.now() / 1000));
  }

  /** A histogram of finite values in equal-width buckets (see `buckets`). */
  histogram(tag: string, values: ArrayLike<number>, step: number): this {
    checkTag(tag);
    checkStep(step);
    if (!Array.isArray(values) && !ArrayBuffer.isView(values)) throw invalidArgument(`TensorBoardWriter.histogram: values must be an array, got ${describe(values)}`);
    if (values.length === 0) throw invalidArgument('TensorBoardWriter.histogram: values is empty');
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw invalidArgument(`TensorBoardWriter.histogram: values[${i}] must be a finite number, got ${describe(v)}`);
    }
    return this.#append(histogramEvent(tag, histogramOf(values, this.#buckets), step, Date.now() / 1000));
  }

  /** Appends every pending record to the file. */
  flush(): this {
    if (this.#pending.length === 0) return this;
    const fd = this.#open();
    const chunk = Buffer.concat(this.#pending);
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#flushedAt = Date.now();
    let done = 0;
    try {
      while (done < chunk.length) done += writeSync(fd, chunk, done, chunk.length - done);
    } catch (e) {
      throw new EffrankError('ERR_INVALID_ARGUMENT', `TensorBoardWriter: cannot write ${this.path} (${(e as { code?: string }).code ?? String(e)})`, { cause: e });
    }
    return this;
  }

  /** Flushes and closes the file; later writes are errors. Closing twice is fine. */
  close(): void {
    if (this.#fd === null) return;
    try {
      this.flush();
    } finally {
      closeSync(this.#fd);
      this.#fd = null;
    }
  }

  #open(): number {
    if (this.#fd === null) throw invalidArgument(`TensorBoardWriter: ${this.path} is closed`);
    return this.#fd;
  }

  #append(event: Uint8Array): this {
    this.#open();
    const record = tfRecord(event);
    this.#pending.push(record);
    this.#pendingBytes += record.length;
    if (this.#pendingBytes >= AUTO_FLUSH_BYTES || Date.now() - this.#flushedAt >= AUTO_FLUSH_MS) this.flush();
    return this;
  }
}
