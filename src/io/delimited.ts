/**
 * Delimited text: CSV (','), TSV ('\t') or whitespace-separated columns (what
 * np.savetxt writes by default), one sample point per line, one neuron per
 * column, read as float64.
 *
 * - Header: in 'auto' mode the first data line is a row of column names when
 *   any of its cells is not a number (so an all-numeric header such as
 *   "0,1,2" needs `header: true`). A header whose first cell is empty (pandas'
 *   `to_csv` with its index, R's `write.csv`) marks the first column as row
 *   labels, which are dropped.
 * - Whole-line comments starting with '#' (np.savetxt's `header=`) and blank
 *   lines are skipped. No inline comments.
 * - Cells are trimmed; one pair of surrounding double quotes is removed;
 *   quoted delimiters or newlines are not supported.
 * - Numbers: decimal with optional exponent, plus nan / inf / infinity in any
 *   case (as numpy writes them). Empty cells (missing values) are errors, as
 *   is a row whose cell count differs from the first row's.
 */
import { closeSync, readSync } from 'node:fs';
import type { Matrix } from '../core/matrix.js';
import { MAX_ELEMENTS, allocateFloat64 } from '../core/matrix.js';
import { fileError, fsError, openRegularFile } from './binary.js';

export type Delimiter = ',' | '\t' | 'whitespace';

export interface DelimitedOptions {
  /** Default ','. */
  delimiter?: Delimiter;
  /** 'auto' (default): detected; true: the first line is column names; false: there is none. */
  header?: 'auto' | boolean;
}

export interface DelimitedChunk extends Matrix<Float64Array> {
  /** Column names from the header (without a dropped row-label column), or null. */
  columns: string[] | null;
  /** Index of this chunk's first row among all data rows. */
  firstRow: number;
}

export interface DelimitedTable extends Matrix<Float64Array> {
  dtype: 'float64';
  columns: string[] | null;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL = /^([+-]?)(nan|inf|infinity)$/i;

/** A cell's value, or undefined when it is not a number. */
export function parseCell(cell: string): number | undefined {
  if (NUMBER.test(cell)) return Number(cell);
  const m = SPECIAL.exec(cell);
  if (!m) return undefined;
  if (m[2]!.toLowerCase() === 'nan') return NaN;
  return m[1] === '-' ? -Infinity : Infinity;
}

function cleanCell(cell: string): string {
  const t = cell.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
}

/** Line-by-line parser that collects rows into float64 chunks. */
class DelimitedParser {
  columns: string[] | null = null;
  private cols = -1;
  private dropFirst = false;
  private headerDone: boolean;
  private buf: Float64Array = new Float64Array(0);
  private rows = 0;
  private total = 0;
  private lineNo = 0;

  constructor(private readonly file: string, private readonly o: Required<DelimitedOptions>) {
    this.headerDone = o.header === false;
  }

  get rowCount(): number {
    return this.total;
  }

  /** Bytes of float64 values collected since the last take. */
  get pendingBytes(): number {
    return this.rows * Math.max(this.cols, 0) * 8;
  }

  line(raw: string): void {
    this.lineNo++;
    const text = this.lineNo === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const cells = (this.o.delimiter === 'whitespace' ? trimmed.split(/\s+/) : text.split(this.o.delimiter)).map(cleanCell);
    if (!this.headerDone) {
      this.headerDone = true;
      if (this.o.header === true || cells.some((c) => parseCell(c) === undefined)) {
        this.dropFirst = cells[0] === '' && cells.length > 1;
        this.columns = this.dropFirst ? cells.slice(1) : cells;
        this.cols = this.columns.length;
        return;
      }
    }
    const values = this.dropFirst ? cells.slice(1) : cells;
    if (this.cols < 0) this.cols = values.length;
    if (values.length !== this.cols) {
      const what = this.columns ? 'the header has' : 'the first row has';
      throw this.error(`ragged: ${values.length} cells, ${what} ${this.cols}`);
    }
    this.reserve();
    const base = this.rows * this.cols;
    for (let j = 0; j < values.length; j++) {
      const cell = values[j]!;
      const v = parseCell(cell);
      if (v === undefined) {
        const col = j + 1 + (this.dropFirst ? 1 : 0);
        throw this.error(cell === '' ? `column ${col}: empty cell (missing values are not supported)` : `column ${col}: not a number: ${JSON.stringify(cell.length > 30 ? `${cell.slice(0, 30)}…` : cell)}`);
      }
      this.buf[base + j] = v;
    }
    this.rows++;
    this.total++;
  }

  /** The rows collected since the last take (null if none); starts a fresh buffer. */
  take(): DelimitedChunk | null {
    if (this.rows === 0) return null;
    const data = this.buf.slice(0, this.rows * this.cols);
    const chunk = { data, rows: this.rows, cols: this.cols, columns: this.columns, firstRow: this.total - this.rows };
    this.rows = 0;
    this.buf = new Float64Array(0);
    return chunk;
  }

  /** Called at the end of input. */
  finish(): void {
    if (this.total === 0) throw fileError(this.file, this.columns ? 'has a header but no data rows' : 'has no data rows');
  }

  private reserve(): void {
    const need = (this.rows + 1) * this.cols;
    if (need <= this.buf.length) return;
    if (need > MAX_ELEMENTS) throw fileError(this.file, `more than ${MAX_ELEMENTS} values in one piece`);
    const next = allocateFloat64(Math.min(MAX_ELEMENTS, Math.max(need, 2 * this.buf.length, 1024)), this.file);
    next.set(this.buf);
    this.buf = next;
  }

  private error(problem: string) {
    return fileError(this.file, `line ${this.lineNo}: ${problem}`);
  }
}

function fullOptions(o: DelimitedOptions | undefined): Required<DelimitedOptions> {
  const delimiter = o?.delimiter ?? ',';
  if (delimiter !== ',' && delimiter !== '\t' && delimiter !== 'whitespace') {
    throw fileError('delimiter', `must be ',', '\\t' or 'whitespace', got ${JSON.stringify(delimiter)}`);
  }
  return { delimiter, header: o?.header ?? 'auto' };
}

/** Parses delimited text held in a string. */
export function parseDelimited(text: string, options?: DelimitedOptions, name = '<text>'): DelimitedTable {
  const p = new DelimitedParser(name, fullOptions(options));
  for (const line of text.split('\n')) p.line(line);
  p.finish();
  const t = p.take()!;
  return { data: t.data, rows: t.rows, cols: t.cols, columns: t.columns, dtype: 'float64' };
}

/** The longest line read from a file (64 Mi characters, about 2.7 million float64 columns): a bound on memory for files with no line breaks. */
export const MAX_LINE_CHARS = 64 * 2 ** 20;

export interface DelimitedStreamOptions extends DelimitedOptions {
  /** A chunk is yielded once its float64 values reach this many bytes. Default Infinity: one chunk. */
  chunkBytes?: number;
  /** Bytes read from the file at a time. Default 1 MiB. */
  blockBytes?: number;
}

/**
 * Streams a delimited file in row chunks of about `chunkBytes` of float64
 * values, decoding it in blocks of `blockBytes`: memory stays at one chunk
 * whatever the file size.
 */
export function* delimitedChunks(path: string, options?: DelimitedStreamOptions): Generator<DelimitedChunk> {
  const p = new DelimitedParser(path, fullOptions(options));
  const chunkBytes = options?.chunkBytes ?? Infinity;
  const { fd } = openRegularFile(path);
  try {
    const block = new Uint8Array(options?.blockBytes ?? 1 << 20);
    const decoder = new TextDecoder('utf-8');
    let carry = '';
    for (;;) {
      let got: number;
      try {
        got = readSync(fd, block, 0, block.length, null);
      } catch (e) {
        throw fsError(path, e);
      }
      const text = carry + (got > 0 ? decoder.decode(block.subarray(0, got), { stream: true }) : decoder.decode());
      const lines = text.split('\n');
      carry = got > 0 ? lines.pop()! : '';
      if (carry.length > MAX_LINE_CHARS) throw fileError(path, `has a line longer than ${MAX_LINE_CHARS / 2 ** 20} Mi characters (is it text?)`);
      for (const line of lines) {
        p.line(line);
        if (p.pendingBytes >= chunkBytes) yield p.take()!;
      }
      if (got === 0) break;
    }
    p.finish();
    const last = p.take();
    if (last) yield last;
  } finally {
    closeSync(fd);
  }
}

/** Reads a whole delimited file. */
export function readDelimited(path: string, options?: DelimitedOptions): DelimitedTable {
  const chunks = [...delimitedChunks(path, options)];
  const t = chunks[0]!;
  return { data: t.data, rows: t.rows, cols: t.cols, columns: t.columns, dtype: 'float64' };
}
