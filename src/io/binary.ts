/**
 * Binary matrices on disk or in memory (the payload of a .npy file, raw
 * .f32/.f64): element types, decoding to Float32Array/Float64Array, and
 * reading row ranges [r0, r1) into a row-major (C order) destination.
 *
 * C order: rows r0..r1 are one contiguous byte range, read with one call.
 * Fortran order: column j of rows r0..r1 is contiguous, so a row chunk is
 * gathered with one read per column and transposed; every byte is read once,
 * whether the matrix is loaded whole or streamed.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { endianness } from 'node:os';
import { EffrankError, invalidArgument } from '../core/errors.js';
import { type DType, type FloatArray, type Matrix, MAX_ELEMENTS, allocateArray } from '../core/matrix.js';

/** One stored element type (numpy's kinds f, i, u, b), and the dtype it decodes to. */
export interface ElementType {
  /** numpy-style type string, e.g. '<f4', '>f8', '<i8', '|b1'. */
  descr: string;
  kind: 'f' | 'i' | 'u' | 'b';
  size: 1 | 2 | 4 | 8;
  littleEndian: boolean;
  /** float16 and float32 decode to float32; float64, integers and bool to float64. */
  dtype: DType;
}

const HOST_LE = endianness() === 'LE';

export function elementType(kind: ElementType['kind'], size: ElementType['size'], littleEndian: boolean): ElementType {
  const order = size === 1 ? '|' : littleEndian ? '<' : '>';
  const dtype: DType = kind === 'f' && size <= 4 ? 'float32' : 'float64';
  return { descr: `${order}${kind}${size}`, kind, size, littleEndian, dtype };
}

export function allocate(dtype: DType, length: number): FloatArray {
  return dtype === 'float32' ? allocateArray(Float32Array, length, 'the matrix read') : allocateArray(Float64Array, length, 'the matrix read');
}

/** An error about a file's contents, its message starting with the file's name. */
export function fileError(file: string, problem: string): EffrankError {
  return invalidArgument(`${file}: ${problem}`);
}

/** A file or a byte array, read by absolute position. */
export interface ByteSource {
  readonly name: string;
  readonly size: number;
  /** Fills `into` with the bytes at [position, position + into.length); throws when they run out. */
  read(position: number, into: Uint8Array): void;
  close(): void;
}

export function bytesSource(bytes: Uint8Array, name: string): ByteSource {
  return {
    name,
    size: bytes.byteLength,
    read(position, into) {
      if (position + into.length > bytes.byteLength) throw fileError(name, 'is truncated');
      into.set(bytes.subarray(position, position + into.length));
    },
    close() {},
  };
}

/**
 * Opens `path` for reading, refusing anything but a regular file: a FIFO, a
 * socket or a device (/dev/zero, a terminal) would block or never end. The
 * open is non-blocking, so a FIFO with no writer cannot hang it, and the type
 * is checked on the opened descriptor (no race with a rename). Returns the
 * descriptor and size; errors are one-line EffrankErrors naming the file.
 */
export function openRegularFile(path: string): { fd: number; size: number } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    throw fsError(path, e);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw fileError(path, 'is a directory');
    if (!st.isFile()) {
      const kind = st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : st.isCharacterDevice() ? 'a character device' : st.isBlockDevice() ? 'a block device' : 'not a file';
      throw fileError(path, `is not a regular file (${kind})`);
    }
    return { fd, size: st.size };
  } catch (e) {
    closeSync(fd);
    throw e instanceof EffrankError ? e : fsError(path, e);
  }
}

/** The text of a regular file (UTF-8), refusing FIFOs and devices as openRegularFile does. */
export function readRegularFileText(path: string): string {
  const { fd, size } = openRegularFile(path);
  try {
    const bytes = allocateArray(Uint8Array, size, path);
    let done = 0;
    while (done < size) {
      let got: number;
      try {
        got = readSync(fd, bytes, done, size - done, done);
      } catch (e) {
        throw fsError(path, e);
      }
      if (got === 0) break; // shrank while reading: take what is there
      done += got;
    }
    return new TextDecoder('utf-8').decode(bytes.subarray(0, done));
  } finally {
    closeSync(fd);
  }
}

/** A ByteSource backed by an open regular file; `fd` is for readers that need it (yauzl). */
export interface FileSource extends ByteSource {
  readonly fd: number;
}

/** Opens a regular file for positioned reads; fs errors become one-line EffrankErrors naming the file. */
export function fileSource(path: string): FileSource {
  const { fd, size } = openRegularFile(path);
  let open = true;
  return {
    name: path,
    size,
    fd,
    read(position, into) {
      let done = 0;
      while (done < into.length) {
        let got: number;
        try {
          got = readSync(fd, into, done, into.length - done, position + done);
        } catch (e) {
          throw fsError(path, e);
        }
        if (got === 0) throw fileError(path, 'is truncated');
        done += got;
      }
    },
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}

/** The bytes [offset, offset + size) of a source, as a source of their own. */
export function sliceSource(source: ByteSource, offset: number, size: number, name = source.name): ByteSource {
  return {
    name,
    size,
    read(position, into) {
      if (position + into.length > size) throw fileError(name, 'is truncated');
      source.read(offset + position, into);
    },
    close() {},
  };
}

export function fsError(path: string, e: unknown): EffrankError {
  const code = (e as { code?: unknown })?.code;
  const why =
    code === 'ENOENT' ? 'no such file' :
    code === 'EACCES' || code === 'EPERM' ? 'permission denied' :
    code === 'EISDIR' ? 'is a directory' :
    `cannot read (${typeof code === 'string' ? code : String((e as Error)?.message ?? e)})`;
  return fileError(path, why);
}

function swapBytes(b: Uint8Array, size: number): void {
  for (let i = 0; i + size <= b.length; i += size) {
    for (let lo = i, hi = i + size - 1; lo < hi; lo++, hi--) {
      const t = b[lo]!;
      b[lo] = b[hi]!;
      b[hi] = t;
    }
  }
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Decodes `bytes` (a whole number of elements of type t) into out[outOffset…]. Never mutates `bytes`. */
export function decode(bytes: Uint8Array, t: ElementType, out: FloatArray, outOffset = 0): void {
  const count = Math.floor(bytes.byteLength / t.size);
  let b = bytes;
  const swap = t.size > 1 && t.littleEndian !== HOST_LE;
  if (swap || b.byteOffset % t.size !== 0) {
    b = bytes.slice(0, count * t.size); // a fresh, aligned copy
    if (swap) swapBytes(b, t.size);
  }
  const buf = b.buffer;
  const at = b.byteOffset;
  if (t.kind === 'b') {
    for (let i = 0; i < count; i++) out[outOffset + i] = b[i] ? 1 : 0;
    return;
  }
  if (t.kind === 'f' && t.size === 2) {
    const h = new Uint16Array(buf, at, count);
    for (let i = 0; i < count; i++) out[outOffset + i] = halfToFloat(h[i]!);
    return;
  }
  if (t.size === 8 && t.kind !== 'f') {
    const v = t.kind === 'i' ? new BigInt64Array(buf, at, count) : new BigUint64Array(buf, at, count);
    for (let i = 0; i < count; i++) out[outOffset + i] = Number(v[i]!);
    return;
  }
  const view =
    t.kind === 'f' ? (t.size === 4 ? new Float32Array(buf, at, count) : new Float64Array(buf, at, count)) :
    t.kind === 'i' ? (t.size === 1 ? new Int8Array(buf, at, count) : t.size === 2 ? new Int16Array(buf, at, count) : new Int32Array(buf, at, count)) :
    t.size === 1 ? new Uint8Array(buf, at, count) : t.size === 2 ? new Uint16Array(buf, at, count) : new Uint32Array(buf, at, count);
  out.set(view, outOffset);
}

/** Where a rows×cols matrix of element type `type` sits in a source. */
export interface BinaryLayout {
  source: ByteSource;
  /** Byte offset of element (0, 0). */
  offset: number;
  rows: number;
  cols: number;
  type: ElementType;
  fortranOrder: boolean;
}

/** Checks that the source holds all rows×cols elements after `offset`. */
export function checkPayload(l: BinaryLayout): void {
  const need = l.rows * l.cols * l.type.size;
  const have = l.source.size - l.offset;
  if (!Number.isSafeInteger(need)) throw fileError(l.source.name, `shape ${l.rows}×${l.cols} is too large`);
  if (have < need) {
    throw fileError(l.source.name, `is truncated: ${l.rows}×${l.cols} ${l.type.descr} needs ${need} data bytes, the file has ${Math.max(have, 0)}`);
  }
}

/** Scratch space reused across chunks. */
export class Workspace {
  bytes = new Uint8Array(0);
  floats: FloatArray | null = null;
  byteView(length: number): Uint8Array {
    if (this.bytes.length < length) this.bytes = allocateArray(Uint8Array, length, 'the read buffer');
    return this.bytes.subarray(0, length);
  }
  floatView(dtype: DType, length: number): FloatArray {
    const f = this.floats;
    if (!f || f.length < length || (f instanceof Float32Array) !== (dtype === 'float32')) this.floats = allocate(dtype, length);
    return this.floats!.subarray(0, length);
  }
}

/** Reads rows [r0, r1) into out[outOffset…] in row-major order, decoded to l.type.dtype. */
export function readRows(l: BinaryLayout, r0: number, r1: number, out: FloatArray, outOffset: number, ws: Workspace): void {
  const k = r1 - r0;
  const { cols, type } = l;
  const size = type.size;
  if (!l.fortranOrder) {
    const position = l.offset + r0 * cols * size;
    const nativeFloat = type.kind === 'f' && size > 2 && type.littleEndian === HOST_LE && out.BYTES_PER_ELEMENT === size;
    if (nativeFloat) {
      // Straight into the destination's bytes: no scratch, no conversion.
      l.source.read(position, new Uint8Array(out.buffer, out.byteOffset + outOffset * size, k * cols * size));
    } else {
      const b = ws.byteView(k * cols * size);
      l.source.read(position, b);
      decode(b, type, out, outOffset);
    }
    return;
  }
  const b = ws.byteView(k * cols * size);
  for (let j = 0; j < cols; j++) {
    l.source.read(l.offset + (j * l.rows + r0) * size, b.subarray(j * k * size, (j + 1) * k * size));
  }
  const colMajor = ws.floatView(type.dtype, k * cols);
  decode(b, type, colMajor, 0);
  for (let i = 0; i < k; i++) {
    const base = outOffset + i * cols;
    for (let j = 0; j < cols; j++) out[base + j] = colMajor[j * k + i]!;
  }
}

/** Rows per chunk so that one chunk's stored bytes stay within `chunkBytes` (at least one row). */
export function rowsPerChunk(cols: number, elementBytes: number, chunkBytes: number): number {
  return Math.max(1, Math.floor(chunkBytes / (cols * elementBytes)));
}

/** Loads a whole binary matrix (chunk by chunk, so a file is never held twice). */
export function readLayout(l: BinaryLayout, chunkBytes = 16 << 20): Matrix & { dtype: 'float32' | 'float64' } {
  if (l.rows * l.cols > MAX_ELEMENTS) {
    throw fileError(l.source.name, `${l.rows}×${l.cols} exceeds ${MAX_ELEMENTS} elements: too large to load whole (stream it with readFeatures)`);
  }
  const out = allocate(l.type.dtype, l.rows * l.cols);
  const step = rowsPerChunk(l.cols, l.type.size, chunkBytes);
  const ws = new Workspace();
  for (let r0 = 0; r0 < l.rows; r0 += step) {
    const r1 = Math.min(l.rows, r0 + step);
    readRows(l, r0, r1, out, r0 * l.cols, ws);
  }
  return { data: out, rows: l.rows, cols: l.cols, dtype: l.type.dtype };
}
