/**
 * Raw little-endian float32 (.f32) or float64 (.f64) files, as `ndarray.tofile`
 * or `torch.Tensor.numpy().tofile` write them: no header, row-major (C
 * order), the shape given separately. The file must hold exactly N·n
 * elements; N may be given as -1 to infer it from the file size.
 */
import type { Matrix } from '../core/matrix.js';
import { type BinaryLayout, type ByteSource, bytesSource, elementType, fileError, fileSource, readLayout } from './binary.js';

export type RawDType = 'float32' | 'float64';

export interface RawOptions {
  dtype: RawDType;
  /** [N, n]; N = -1 infers N from the size. Omitted: one column, N inferred (for weights). */
  shape?: readonly [number, number];
}

/** Parses "N,n" (or "N×n", "NxN"); N may be -1. */
export function parseShape(text: string): [number, number] {
  const m = /^\s*(-1|\d+)\s*[,x×]\s*(\d+)\s*$/.exec(text);
  if (!m) throw fileError('--shape', `expected N,n (two positive integers; N may be -1), got ${JSON.stringify(text)}`);
  const shape: [number, number] = [Number(m[1]), Number(m[2])];
  if (shape[0] === 0 || shape[1] === 0) throw fileError('--shape', `dimensions must be positive, got ${text}`);
  return shape;
}

export function rawLayout(source: ByteSource, options: RawOptions): BinaryLayout {
  const { dtype } = options;
  if (dtype !== 'float32' && dtype !== 'float64') throw fileError(source.name, `raw dtype must be 'float32' or 'float64', got ${String(dtype)}`);
  const type = elementType('f', dtype === 'float32' ? 4 : 8, true);
  const [rowsGiven, cols] = options.shape ?? [-1, 1];
  const size = source.size;
  if (size === 0) throw fileError(source.name, 'is empty');
  if (size % type.size !== 0) throw fileError(source.name, `has ${size} bytes, not a whole number of ${dtype} values (${type.size} bytes each)`);
  const count = size / type.size;
  let rows = rowsGiven;
  if (rows === -1) {
    if (count % cols !== 0) throw fileError(source.name, `holds ${count} ${dtype} values, not a multiple of n = ${cols}`);
    rows = count / cols;
  } else if (rows * cols !== count) {
    throw fileError(source.name, `holds ${count} ${dtype} values (${size} bytes), but shape ${rows},${cols} needs ${rows * cols} (${rows * cols * type.size} bytes)`);
  }
  return { source, offset: 0, rows, cols, type, fortranOrder: false };
}

/** Reads a raw .f32/.f64 file (a path) or its bytes into a row-major matrix. */
export function readRaw(source: string | Uint8Array, options: RawOptions, name = typeof source === 'string' ? source : '<buffer>'): Matrix & { dtype: RawDType } {
  if (options === null || typeof options !== 'object') throw fileError(name, "options { dtype: 'float32' | 'float64', shape? } are required");
  const src = typeof source === 'string' ? fileSource(source) : bytesSource(source, name);
  try {
    return readLayout(rawLayout(src, options));
  } finally {
    src.close();
  }
}
