/**
 * Follows a growing RankTracker JSONL log: each poll reads only the bytes
 * appended since the last one and parses the complete lines among them (a
 * line still being written waits for its newline). A file that shrinks or is
 * replaced (a new run truncating the log) is read again from the start. A
 * bad line is reported in `error` and skipped; the rest keep coming.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

import { validateRecord } from '../../report/load-log.js';
import type { RankRecord } from '../../tfjs/options.js';

const READ_CHUNK = 1 << 20;

export class LogTail {
  readonly path: string;
  records: RankRecord[] = [];
  /** mtime (ms since the epoch) of the file when its latest record was read; null before the first. */
  lastArrival: number | null = null;
  /** The latest problem (a bad line, a missing file), or null. */
  error: string | null = null;
  #offset = 0;
  #ino = -1;
  #partial = '';
  #line = 0;
  #decoder = new StringDecoder('utf8');

  constructor(path: string) {
    this.path = path;
  }

  #reset(): void {
    this.records = [];
    this.lastArrival = null;
    this.#offset = 0;
    this.#partial = '';
    this.#line = 0;
    this.#decoder = new StringDecoder('utf8');
  }

  /** Reads what was appended since the last poll. */
  poll(): void {
    let st;
    try {
      st = statSync(this.path);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (this.#offset > 0) this.#reset();
      this.error = code === 'ENOENT' ? `waiting for ${this.path} to appear` : `cannot read ${this.path} (${code ?? String(e)})`;
      return;
    }
    if (!st.isFile()) {
      this.error = `${this.path} is not a regular file`;
      return;
    }
    if (st.ino !== this.#ino || st.size < this.#offset) {
      this.#reset();
      this.#ino = st.ino;
    }
    if (this.error?.startsWith('waiting for')) this.error = null;
    if (st.size > this.#offset) this.#read(st.size, st.mtimeMs);
  }

  /** Changes whenever what the page shows would. */
  get signature(): string {
    return `${this.records.length}|${this.lastArrival}|${this.error}`;
  }

  #read(size: number, mtimeMs: number): void {
    const fd = openSync(this.path, 'r');
    try {
      if (!fstatSync(fd).isFile()) return;
      const buffer = Buffer.alloc(Math.min(READ_CHUNK, size - this.#offset));
      while (this.#offset < size) {
        const got = readSync(fd, buffer, 0, Math.min(buffer.length, size - this.#offset), this.#offset);
        if (got === 0) break;
        this.#offset += got;
        this.#lines(this.#decoder.write(buffer.subarray(0, got)), mtimeMs);
      }
    } finally {
      closeSync(fd);
    }
  }

  #lines(text: string, mtimeMs: number): void {
    const parts = (this.#partial + text).split('\n');
    this.#partial = parts.pop()!;
    for (const raw of parts) {
      this.#line++;
      const line = (this.#line === 1 ? raw.replace(/^\uFEFF/, '') : raw).replace(/\r$/, '');
      if (line.trim() === '') continue;
      const where = `${this.path} line ${this.#line}`;
      try {
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          throw new Error(`${where}: not valid JSON`);
        }
        this.records.push(validateRecord(value, where));
        this.lastArrival = mtimeMs;
      } catch (e) {
        this.error = `${(e as Error).message} (skipped)`;
      }
    }
  }
}
