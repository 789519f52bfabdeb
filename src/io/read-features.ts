/**
 * A feature matrix from a file, ready for the rank functions: the format is
 * detected, then the file is either loaded whole (a Matrix: the rank
 * functions can take its SVD, the accurate route) or streamed in row chunks
 * through a float64 GramAccumulator (for files too large to hold: memory is
 * one chunk plus the n×n Gram). Nothing is ever read twice; Fortran-order
 * .npy files stream too (see binary.ts).
 *
 * Which: `mode: 'auto'` (the default) loads files of at most `streamAbove`
 * bytes on disk (default 64 MiB; for .npz and .safetensors, the bytes of the
 * member read) and streams larger ones; 'memory' and 'stream' force one or
 * the other. A .npz member or safetensors tensor is picked by `key`/`tensor`.
 *
 * Weights (one per row) come as an array or a file in any supported format
 * holding N values: a 1-D or single-column/single-row .npy, a single-column
 * text file, or a raw .f32/.f64 (N from its size). They are always loaded
 * whole. Values must be finite and non-negative.
 */
import { extname } from 'node:path';
import { EffrankError } from '../core/errors.js';
import { GramAccumulator } from '../spectrum/gram-accumulator.js';
import { type DType, type FloatArray, type Matrix, MAX_ELEMENTS } from '../core/matrix.js';
import { type BinaryLayout, Workspace, allocate, fileError, fileSource, readLayout, readRows, rowsPerChunk } from './binary.js';
import { type Delimiter, delimitedChunks, readDelimited } from './delimited.js';
import { NPY_MAGIC, npyLayout } from './npy.js';
import { npzLayout } from './npz.js';
import { rawLayout } from './raw.js';
import { openRegularFile } from './regular-file.js';
import { safetensorsLayout } from './safetensors.js';

export type FeatureFormat = 'npy' | 'npz' | 'safetensors' | 'csv' | 'tsv' | 'txt' | 'f32' | 'f64';

export const FEATURE_FORMATS: readonly FeatureFormat[] = ['npy', 'npz', 'safetensors', 'csv', 'tsv', 'txt', 'f32', 'f64'];

/** Files larger than this (bytes on disk) stream through a GramAccumulator by default. */
export const DEFAULT_STREAM_ABOVE = 64 << 20;

/** Default bytes of stored data per streamed chunk. */
export const DEFAULT_CHUNK_BYTES = 16 << 20;

const EXTENSIONS: Record<string, FeatureFormat> = {
  '.npy': 'npy', '.npz': 'npz', '.safetensors': 'safetensors', '.csv': 'csv', '.tsv': 'tsv', '.tab': 'tsv', '.txt': 'txt', '.dat': 'txt', '.f32': 'f32', '.f64': 'f64',
};

const DELIMITERS: Record<string, Delimiter> = { csv: ',', tsv: '\t', txt: 'whitespace' };

export interface ReadFeaturesOptions {
  /** Overrides detection from the extension. */
  format?: FeatureFormat;
  /** .npz: the array to read (its name without .npy). Default: the only one. */
  key?: string;
  /** .safetensors: the tensor to read. Default: the only 2-D one. */
  tensor?: string;
  /** [N, n] for raw .f32/.f64 (N = -1: inferred). Required for raw features. */
  shape?: readonly [number, number];
  /** Header row of text files: 'auto' (default), true or false. */
  header?: 'auto' | boolean;
  /** One weight per row: an array or a file. */
  weights?: string | ArrayLike<number>;
  /** Format of the weights file; default from its extension. */
  weightsFormat?: FeatureFormat;
  /** 'auto' (default): load if the file is at most `streamAbove` bytes, else stream. */
  mode?: 'auto' | 'memory' | 'stream';
  /** Default DEFAULT_STREAM_ABOVE (64 MiB). */
  streamAbove?: number;
  /** Stored bytes per streamed chunk. Default DEFAULT_CHUNK_BYTES (16 MiB). */
  chunkBytes?: number;
}

export interface FeatureFile {
  file: string;
  format: FeatureFormat;
  /** As stored: the .npy descr (e.g. '<f4'), '<f4'/'<f8' for raw files, the safetensors dtype ('BF16'), 'text' for delimited. */
  storedDtype: string;
  /** The .npz key or safetensors tensor read; null for single-matrix formats. */
  member: string | null;
  /** dtype of the matrix read (float32 stays float32; text, integers and bool become float64). */
  dtype: DType;
  fortranOrder: boolean;
  /** N (sample points) and n (neurons). */
  rows: number;
  cols: number;
  /** Column names of a text file's header, else null. */
  columns: string[] | null;
  /** The whole matrix, or a GramAccumulator that has seen every row (with its weights). */
  features: Matrix | GramAccumulator;
  /** The weights to pass to the rank functions with a Matrix; undefined with an accumulator (it took them). */
  weights: Float64Array | undefined;
  streamed: boolean;
  /** Chunks added to the accumulator (0 when loaded whole). */
  chunks: number;
}

function peekMagic(path: string): boolean {
  const src = fileSource(path);
  try {
    const head = new Uint8Array(Math.min(6, src.size));
    src.read(0, head);
    return head.length === 6 && NPY_MAGIC.every((b, i) => head[i] === b);
  } finally {
    src.close();
  }
}

/** The format from `format` or the extension; a file with an unknown extension is sniffed for the .npy magic. */
export function detectFormat(path: string, format?: string): FeatureFormat {
  if (format !== undefined) {
    if (!(FEATURE_FORMATS as readonly string[]).includes(format)) throw fileError(path, `unknown format '${format}' (one of ${FEATURE_FORMATS.join(', ')})`);
    return format as FeatureFormat;
  }
  const ext = extname(path).toLowerCase();
  const known = EXTENSIONS[ext];
  if (known) return known;
  if (peekMagic(path)) return 'npy';
  throw fileError(path, `unknown format${ext ? ` '${ext}'` : ''}: use .npy, .npz, .safetensors, .csv, .tsv, .txt, .f32 or .f64, or say which with --format`);
}

interface OpenedLayout {
  layout: BinaryLayout;
  member: string | null;
  /** Bytes compared with streamAbove: the file's size, or the chosen member's for .npz/.safetensors. */
  bytes: number;
  close(): void;
}

/** Opens a binary feature file and finds its matrix (for .npz and .safetensors, the member asked for). */
async function openLayout(path: string, format: FeatureFormat, o: ReadFeaturesOptions): Promise<OpenedLayout> {
  if (format === 'npz') {
    const z = await npzLayout(path, o.key);
    return { layout: z.layout, member: z.key, bytes: z.layout.source.size, close: z.close };
  }
  if (format === 'safetensors') {
    const source = openRegularFile(path);
    try {
      const l = safetensorsLayout(source, o.tensor);
      return { layout: l, member: l.tensor.name, bytes: l.tensor.end - l.tensor.start, close: () => source.close() };
    } catch (e) {
      source.close();
      throw e;
    }
  }
  const source = fileSource(path);
  try {
    const close = () => source.close();
    if (format === 'npy') return { layout: npyLayout(source), member: null, bytes: source.size, close };
    if (!o.shape) throw fileError(path, `raw ${format} features need their shape: --shape N,n`);
    return { layout: rawLayout(source, { dtype: format === 'f32' ? 'float32' : 'float64', shape: o.shape }), member: null, bytes: source.size, close };
  } catch (e) {
    source.close();
    throw e;
  }
}

/** Loads weights (N values) and validates them; `expected` is the feature rows when known. */
export function readWeights(
  source: string | ArrayLike<number>,
  options: { format?: FeatureFormat; expected?: number; featuresFile?: string } = {},
): Float64Array {
  const name = typeof source === 'string' ? source : 'weights';
  options ??= {};
  let values: Float64Array;
  if (typeof source !== 'string') {
    if (!Array.isArray(source) && !ArrayBuffer.isView(source)) throw fileError(name, 'expected a file path, an array or a typed array');
    values = Float64Array.from(source as ArrayLike<unknown>, (v, i) => {
      if (typeof v !== 'number') throw fileError(name, `weight ${i + 1} is not a number`);
      return v;
    });
  } else {
    const format = detectFormat(source, options.format);
    let m: Matrix;
    if (format === 'npz' || format === 'safetensors') {
      throw fileError(name, `weights are read from .npy, text or raw .f32/.f64 files, not .${format}`);
    } else if (format in DELIMITERS) {
      m = readDelimited(source, { delimiter: DELIMITERS[format] });
    } else {
      const src = fileSource(source);
      try {
        const layout = format === 'npy' ? npyLayout(src) : rawLayout(src, { dtype: format === 'f32' ? 'float32' : 'float64' });
        m = readLayout(layout);
      } finally {
        src.close();
      }
    }
    if (m.rows !== 1 && m.cols !== 1) throw fileError(name, `weights must be one column (or a 1-D array), got ${m.rows}×${m.cols}`);
    values = Float64Array.from(m.data);
  }
  if (options.expected !== undefined && values.length !== options.expected) {
    const rows = `${options.expected} row${options.expected === 1 ? '' : 's'}`;
    throw fileError(name, `${values.length} weights, but ${options.featuresFile ? `${options.featuresFile} has` : 'the features have'} ${rows}`);
  }
  for (let i = 0; i < values.length; i++) {
    const w = values[i]!;
    if (!Number.isFinite(w) || w < 0) throw fileError(name, `weight ${i + 1} is ${w}: weights must be finite and ≥ 0`);
  }
  return values;
}

/** Non-finite features are ERR_NON_FINITE, with the (1-based) row and column. */
function checkFinite(file: string, data: FloatArray, cols: number, firstRow: number): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      const row = firstRow + Math.floor(i / cols) + 1;
      throw new EffrankError('ERR_NON_FINITE', `${file}: row ${row}, column ${(i % cols) + 1} is ${data[i]}`);
    }
  }
}

function newAccumulator(file: string, cols: number): GramAccumulator {
  if (cols * cols > MAX_ELEMENTS) throw fileError(file, `${cols} columns: the ${cols}×${cols} Gram exceeds ${MAX_ELEMENTS} elements`);
  return new GramAccumulator(cols);
}

/** Feeds chunks to an accumulator, computing chunk k's Gram off-thread while chunk k+1 is read. */
class Feeder {
  chunks = 0;
  private pending: Promise<unknown> | null = null;
  constructor(readonly acc: GramAccumulator) {}
  async add(chunk: Matrix, weights: Float64Array | undefined): Promise<void> {
    await this.drain();
    const job = this.acc.addAsync(chunk, weights);
    job.catch(() => undefined); // observed by drain(); never an unhandled rejection meanwhile
    this.pending = job;
    this.chunks++;
  }
  async drain(): Promise<void> {
    const p = this.pending;
    this.pending = null;
    if (p) await p;
  }
  /** For error paths: waits for the job in flight without rethrowing its failure. */
  async settle(): Promise<void> {
    await this.drain().catch(() => undefined);
  }
}

function pickMode(o: ReadFeaturesOptions, size: number, elements: number | undefined): 'memory' | 'stream' {
  const mode = o.mode ?? 'auto';
  if (mode === 'memory' || mode === 'stream') return mode;
  if (mode !== 'auto') throw fileError('mode', `must be 'auto', 'memory' or 'stream', got ${String(mode)}`);
  if (elements !== undefined && elements > MAX_ELEMENTS) return 'stream';
  return size <= (o.streamAbove ?? DEFAULT_STREAM_ABOVE) ? 'memory' : 'stream';
}

async function readBinary(path: string, format: FeatureFormat, o: ReadFeaturesOptions): Promise<FeatureFile> {
  const opened = await openLayout(path, format, o);
  try {
    const l = opened.layout;
    const weights = o.weights === undefined ? undefined : readWeights(o.weights, { format: o.weightsFormat, expected: l.rows, featuresFile: path });
    const base = { file: path, format, storedDtype: l.type.descr, member: opened.member, dtype: l.type.dtype, fortranOrder: l.fortranOrder, rows: l.rows, cols: l.cols, columns: null };
    const chunkBytes = o.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    // For containers the member's bytes decide, not the file's: a small tensor in a large .safetensors loads whole.
    if (pickMode(o, opened.bytes, l.rows * l.cols) === 'memory') {
      const m = readLayout(l, chunkBytes);
      checkFinite(path, m.data, m.cols, 0);
      return { ...base, features: { data: m.data, rows: m.rows, cols: m.cols }, weights, streamed: false, chunks: 0 };
    }
    const feeder = new Feeder(newAccumulator(path, l.cols));
    const step = Math.min(l.rows, rowsPerChunk(l.cols, l.type.size, chunkBytes));
    const buffers = [allocate(l.type.dtype, step * l.cols), allocate(l.type.dtype, step * l.cols)];
    const ws = new Workspace();
    try {
      for (let r0 = 0, k = 0; r0 < l.rows; r0 += step, k++) {
        const r1 = Math.min(l.rows, r0 + step);
        // Chunk k-2 used this buffer; its job finished before chunk k-1's began.
        const data = buffers[k % 2]!.subarray(0, (r1 - r0) * l.cols);
        readRows(l, r0, r1, data, 0, ws);
        checkFinite(path, data, l.cols, r0);
        await feeder.add({ data, rows: r1 - r0, cols: l.cols }, weights?.subarray(r0, r1));
      }
      await feeder.drain();
    } finally {
      await feeder.settle();
    }
    return { ...base, features: feeder.acc, weights: undefined, streamed: true, chunks: feeder.chunks };
  } finally {
    opened.close();
  }
}

async function readText(path: string, format: FeatureFormat, o: ReadFeaturesOptions): Promise<FeatureFile> {
  const probe = fileSource(path);
  const bytes = probe.size;
  probe.close();
  const weights = o.weights === undefined ? undefined : readWeights(o.weights, { format: o.weightsFormat });
  const wrongLength = (rows: number | string) =>
    fileError(typeof o.weights === 'string' ? o.weights : 'weights', `${weights!.length} weights, but ${path} has ${rows} rows`);
  const options = { delimiter: DELIMITERS[format]!, header: o.header };
  const base = { file: path, format, storedDtype: 'text', member: null, dtype: 'float64' as const, fortranOrder: false };
  if (pickMode(o, bytes, undefined) === 'memory') {
    const t = readDelimited(path, options);
    if (weights && weights.length !== t.rows) throw wrongLength(t.rows);
    checkFinite(path, t.data, t.cols, 0);
    const features = { data: t.data, rows: t.rows, cols: t.cols };
    return { ...base, rows: t.rows, cols: t.cols, columns: t.columns, features, weights, streamed: false, chunks: 0 };
  }
  let feeder: Feeder | null = null;
  let rows = 0;
  let cols = 0;
  let columns: string[] | null = null;
  try {
    for (const chunk of delimitedChunks(path, { ...options, chunkBytes: o.chunkBytes ?? DEFAULT_CHUNK_BYTES })) {
      feeder ??= new Feeder(newAccumulator(path, chunk.cols));
      ({ cols, columns } = chunk);
      rows = chunk.firstRow + chunk.rows;
      if (weights && rows > weights.length) throw wrongLength(`at least ${rows}`);
      checkFinite(path, chunk.data, chunk.cols, chunk.firstRow);
      await feeder.add(chunk, weights?.subarray(chunk.firstRow, rows));
    }
    await feeder?.drain();
  } finally {
    await feeder?.settle();
  }
  if (weights && weights.length !== rows) throw wrongLength(rows);
  return { ...base, rows, cols, columns, features: feeder!.acc, weights: undefined, streamed: true, chunks: feeder!.chunks };
}

/**
 * Reads a feature matrix file (N rows = sample points, n columns = neurons):
 * whole, or streamed through a float64 GramAccumulator (see the module
 * comment). Errors are EffrankErrors whose message starts with the file name:
 * ERR_INVALID_ARGUMENT for unreadable or malformed files and bad weights,
 * ERR_NON_FINITE for NaN/±Inf features.
 */
export async function readFeatures(path: string, options: ReadFeaturesOptions = {}): Promise<FeatureFile> {
  if (typeof path !== 'string' || path === '') throw fileError('readFeatures', 'expected a file path');
  if (options === null || typeof options !== 'object') throw fileError('readFeatures', 'options must be an object');
  const format = detectFormat(path, options.format);
  return format in DELIMITERS ? readText(path, format, options) : readBinary(path, format, options);
}
