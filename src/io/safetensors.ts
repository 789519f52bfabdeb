/**
 * The safetensors format (huggingface/safetensors):
 *
 *   u64 LE  header length L
 *   L bytes JSON: { "<name>": { "dtype": "F32", "shape": [N, n], "data_offsets": [begin, end] }, …,
 *                   "__metadata__"?: { string: string } }
 *   data    raw little-endian, row-major; each tensor at [8 + L + begin, 8 + L + end)
 *
 * Read: F16, BF16 (widened exactly to float32), F32 (float32) and F64
 * (float64). Only the header and the chosen tensor are read, by offset: a
 * 10 GB file with a small tensor in it costs that tensor. A 2-D tensor is
 * N×n; a 1-D one (only when named) N×1.
 */
import { type BinaryLayout, type ByteSource, elementType, fileError } from './binary.js';
import { openRegularFile } from './regular-file.js';

/** The format's own cap on the header (100 MB). */
const MAX_HEADER_BYTES = 100_000_000;

const DTYPE_SIZES: Record<string, number> = { F16: 2, BF16: 2, F32: 4, F64: 8 };
const KNOWN_DTYPES = ['BOOL', 'U8', 'I8', 'F8_E5M2', 'F8_E4M3', 'I16', 'U16', 'F16', 'BF16', 'I32', 'U32', 'F32', 'F64', 'I64', 'U64'];

export interface SafetensorsTensor {
  name: string;
  dtype: string;
  shape: number[];
  /** Absolute byte offsets of the data in the file. */
  start: number;
  end: number;
}

export interface SafetensorsHeader {
  tensors: SafetensorsTensor[];
  metadata: Record<string, string> | null;
}

function isNonNegativeInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

export function safetensorsHeader(source: ByteSource): SafetensorsHeader {
  const fail = (why: string): never => {
    throw fileError(source.name, why);
  };
  if (source.size < 8) fail(`is not a safetensors file (${source.size} bytes, shorter than the 8-byte header length)`);
  const head = new Uint8Array(8);
  source.read(0, head);
  const length = new DataView(head.buffer).getBigUint64(0, true);
  if (length > BigInt(MAX_HEADER_BYTES)) fail(`safetensors header length ${length} exceeds ${MAX_HEADER_BYTES} bytes (not a safetensors file?)`);
  const headerBytes = Number(length);
  if (8 + headerBytes > source.size) fail(`is truncated inside the safetensors header (${8 + headerBytes} bytes expected, ${source.size} present)`);
  const raw = new Uint8Array(headerBytes);
  source.read(8, raw);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch (e) {
    return fail(`the safetensors header is not valid UTF-8 JSON (${(e as Error).message.split('\n')[0]})`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return fail('the safetensors header is not a JSON object');
  const dataStart = 8 + headerBytes;
  const dataBytes = source.size - dataStart;
  let metadata: Record<string, string> | null = null;
  const tensors: SafetensorsTensor[] = [];
  for (const [name, value] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('"__metadata__" must be an object of strings');
      metadata = value as Record<string, string>;
      continue;
    }
    const t = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const where = `tensor '${name}'`;
    if (t === null || typeof t !== 'object' || Array.isArray(t)) fail(`${where}: expected { dtype, shape, data_offsets }`);
    if (typeof t.dtype !== 'string' || !KNOWN_DTYPES.includes(t.dtype)) fail(`${where}: unknown dtype ${JSON.stringify(t.dtype)}`);
    if (!Array.isArray(t.shape) || !t.shape.every(isNonNegativeInteger)) fail(`${where}: "shape" must be an array of non-negative integers`);
    const offsets = t.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isNonNegativeInteger) || (offsets[0] as number) > (offsets[1] as number)) {
      fail(`${where}: "data_offsets" must be [begin, end] with 0 ≤ begin ≤ end`);
    }
    const [begin, end] = offsets as [number, number];
    if (end > dataBytes) fail(`${where}: data ends at byte ${end} of the data section, which has ${dataBytes} (truncated?)`);
    const shape = t.shape as number[];
    const size = DTYPE_SIZES[t.dtype as string];
    if (size !== undefined) {
      const need = shape.reduce((a, b) => a * b, 1) * size;
      if (need !== end - begin) fail(`${where}: ${t.dtype} shape [${shape.join(', ')}] needs ${need} bytes, data_offsets span ${end - begin}`);
    }
    tensors.push({ name, dtype: t.dtype as string, shape, start: dataStart + begin, end: dataStart + end });
  }
  return { tensors, metadata };
}

function describeTensors(tensors: SafetensorsTensor[]): string {
  const shown = tensors.slice(0, 20).map((t) => `${t.name} (${t.dtype} [${t.shape.join(', ')}])`).join(', ');
  return tensors.length > 20 ? `${shown}, … (${tensors.length} in all)` : shown;
}

/** The tensor named `name`, or else the only 2-D one; errors list what the file holds. */
export function pickTensor(header: SafetensorsHeader, file: string, name?: string): SafetensorsTensor {
  const { tensors } = header;
  if (tensors.length === 0) throw fileError(file, 'holds no tensors');
  if (name !== undefined) {
    const t = tensors.find((x) => x.name === name);
    if (!t) throw fileError(file, `has no tensor '${name}'; it holds: ${describeTensors(tensors)}`);
    return t;
  }
  const matrices = tensors.filter((t) => t.shape.length === 2);
  if (matrices.length === 1) return matrices[0]!;
  if (matrices.length === 0) throw fileError(file, `holds no 2-D tensor; pick one with --tensor NAME: ${describeTensors(tensors)}`);
  throw fileError(file, `holds ${matrices.length} 2-D tensors; pick one with --tensor NAME: ${describeTensors(matrices)}`);
}

/**
 * A source that presents BF16 bytes as the float32 values they are: bfloat16
 * is the upper half of a float32, so each 2-byte element becomes 4 bytes with
 * a zero low half. Exact, and it keeps streaming by row ranges working.
 */
function widenBf16(source: ByteSource, start: number, count: number): ByteSource {
  return {
    name: source.name,
    size: 4 * count,
    read(position, into) {
      if (position % 4 !== 0 || into.length % 4 !== 0) throw new RangeError('BF16 view: reads must be whole elements');
      const k = into.length / 4;
      const half = new Uint8Array(2 * k);
      source.read(start + position / 2, half);
      for (let i = 0; i < k; i++) {
        into[4 * i] = 0;
        into[4 * i + 1] = 0;
        into[4 * i + 2] = half[2 * i]!;
        into[4 * i + 3] = half[2 * i + 1]!;
      }
    },
    close() {},
  };
}

export interface SafetensorsLayout extends BinaryLayout {
  tensor: SafetensorsTensor;
}

/** Where the chosen tensor sits, as a row-major matrix layout (BF16 through a widening view). */
export function safetensorsLayout(source: ByteSource, name?: string): SafetensorsLayout {
  const tensor = pickTensor(safetensorsHeader(source), source.name, name);
  const what = `tensor '${tensor.name}'`;
  if (!(tensor.dtype in DTYPE_SIZES)) throw fileError(source.name, `${what} has dtype ${tensor.dtype}: only F16, BF16, F32 and F64 are read`);
  const dims = tensor.shape;
  if (dims.length === 0) throw fileError(source.name, `${what} is a 0-d scalar, not a matrix`);
  if (dims.length > 2) throw fileError(source.name, `${what} is ${dims.length}-d (${dims.join('×')}): reshape it to N×n (samples × neurons) first`);
  if (dims.includes(0)) throw fileError(source.name, `${what} is empty (shape ${dims.join('×')})`);
  const rows = dims[0]!;
  const cols = dims[1] ?? 1;
  if (tensor.dtype === 'BF16') {
    return { source: widenBf16(source, tensor.start, rows * cols), offset: 0, rows, cols, type: { ...elementType('f', 4, true), descr: 'BF16' }, fortranOrder: false, tensor };
  }
  const size = DTYPE_SIZES[tensor.dtype] as 2 | 4 | 8;
  return { source, offset: tensor.start, rows, cols, type: { ...elementType('f', size, true), descr: tensor.dtype }, fortranOrder: false, tensor };
}

/** Lists the tensors of a .safetensors file (reads only its header). */
export function listSafetensors(path: string): SafetensorsHeader {
  const source = openRegularFile(path);
  try {
    return safetensorsHeader(source);
  } finally {
    source.close();
  }
}

export { openRegularFile };
