/**
 * NumPy's .npy format (versions 1.0, 2.0 and 3.0), as np.save writes it:
 *
 *   "\x93NUMPY" major minor  header-length (u16 LE in 1.0; u32 LE in 2.0/3.0)
 *   header: a Python dict literal {'descr': '<f8', 'fortran_order': False, 'shape': (N, n), }
 *           (latin-1 in 1.0/2.0, UTF-8 in 3.0), padded with spaces and '\n'
 *   data:   prod(shape) elements, C or Fortran order
 *
 * Accepted: float16/32/64 ('f2' and 'f4' decode to float32, 'f8' to float64),
 * signed/unsigned integers of 1–8 bytes and bool (all to float64; int64
 * beyond 2^53 rounds), either byte order. Rejected: complex, object, strings,
 * datetimes, structured dtypes, long double. A 2-D array is N×n; a 1-D array
 * of length N is read as N×1; 0-D and ≥3-D arrays are rejected. Bytes after
 * the data are ignored, as numpy does.
 */
import type { Matrix } from '../core/matrix.js';
import { type BinaryLayout, type ByteSource, type ElementType, bytesSource, checkPayload, elementType, fileError, fileSource, readLayout } from './binary.js';

export const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

/** Headers longer than this are refused (numpy's own default cap is 10 000 bytes). */
const MAX_HEADER_BYTES = 1 << 20;

export interface NpyHeader {
  version: '1.0' | '2.0' | '3.0';
  /** The 'descr' string as stored, e.g. '<f4'. */
  descr: string;
  type: ElementType;
  fortranOrder: boolean;
  /** The stored shape, e.g. [N, n] or [N]. */
  shape: number[];
  /** The matrix it is read as: N×n, or N×1 for a 1-D array. */
  rows: number;
  cols: number;
  /** Byte offset of the data. */
  dataOffset: number;
}

export interface NpyArray extends Matrix {
  /** dtype of `data`. */
  dtype: 'float32' | 'float64';
  header: NpyHeader;
}

type PyValue = string | number | boolean | null | PyValue[] | { tuple: PyValue[] } | Map<PyValue, PyValue>;

/** A recursive-descent reader for the Python literals numpy writes (dict, tuple, list, str, int, True/False/None). */
class LiteralParser {
  private i = 0;
  private depth = 0;
  constructor(private readonly s: string, private readonly fail: (why: string) => never) {}

  parseAll(): PyValue {
    const v = this.value();
    this.ws();
    if (this.i < this.s.length) this.fail(`unexpected ${JSON.stringify(this.s.slice(this.i, this.i + 10))} after the header dict`);
    return v;
  }

  private ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }

  private value(): PyValue {
    this.ws();
    const c = this.s[this.i];
    if (c === undefined) this.fail('header ends early');
    if (++this.depth > 32) this.fail('header nests too deeply');
    let v: PyValue;
    if (c === '{') v = this.dict();
    else if (c === '(' || c === '[') v = this.sequence(c === '(' ? ')' : ']');
    else if (c === "'" || c === '"') v = this.string();
    else if ((c === 'u' || c === 'b') && (this.s[this.i + 1] === "'" || this.s[this.i + 1] === '"')) (this.i++, (v = this.string()));
    else if (/[-+0-9]/.test(c)) v = this.integer();
    else v = this.name();
    this.depth--;
    return v;
  }

  private dict(): Map<PyValue, PyValue> {
    const d = new Map<PyValue, PyValue>();
    this.i++; // '{'
    for (;;) {
      this.ws();
      if (this.s[this.i] === '}') return (this.i++, d);
      const key = this.value();
      this.ws();
      if (this.s[this.i] !== ':') this.fail("expected ':' in the header dict");
      this.i++;
      const val = this.value();
      if (typeof key !== 'string') this.fail('header dict keys must be strings');
      if (d.has(key)) this.fail(`header dict repeats the key '${key}'`);
      d.set(key, val);
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== '}') this.fail("expected ',' or '}' in the header dict");
    }
  }

  /** `(a, b)`, `(a,)`, `()` are tuples; `(a)` is just a. `[…]` is a list. */
  private sequence(close: ')' | ']'): PyValue {
    this.i++;
    const items: PyValue[] = [];
    let trailingComma = false;
    for (;;) {
      this.ws();
      if (this.s[this.i] === close) {
        this.i++;
        if (close === ']') return items;
        return items.length === 1 && !trailingComma ? items[0]! : { tuple: items };
      }
      items.push(this.value());
      this.ws();
      trailingComma = false;
      if (this.s[this.i] === ',') (this.i++, (trailingComma = true));
      else if (this.s[this.i] !== close) this.fail(`expected ',' or '${close}' in the header`);
    }
  }

  private string(): string {
    const q = this.s[this.i++]!;
    let out = '';
    for (;;) {
      const c = this.s[this.i++];
      if (c === undefined || c === '\n') this.fail('unterminated string in the header');
      if (c === q) return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.s[this.i++];
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', "'": "'", '"': '"' };
      if (e !== undefined && e in simple) out += simple[e];
      else if (e === 'x' || e === 'u') {
        const len = e === 'x' ? 2 : 4;
        const hex = this.s.slice(this.i, this.i + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) this.fail('bad escape in a header string');
        out += String.fromCharCode(parseInt(hex, 16));
        this.i += len;
      } else this.fail('bad escape in a header string');
    }
  }

  private integer(): number {
    const m = /^[-+]?\d+[lL]?/.exec(this.s.slice(this.i, this.i + 40));
    if (!m) this.fail(`expected a number at ${JSON.stringify(this.s.slice(this.i, this.i + 10))}`);
    this.i += m[0].length;
    const v = Number(m[0].replace(/[lL]$/, ''));
    if (!Number.isSafeInteger(v)) this.fail(`${m[0]} is out of range`);
    return v;
  }

  private name(): PyValue {
    const m = /^[A-Za-z_]\w*/.exec(this.s.slice(this.i, this.i + 40));
    const word = m?.[0];
    if (word === 'True' || word === 'False' || word === 'None') {
      this.i += word.length;
      return word === 'True' ? true : word === 'False' ? false : null;
    }
    return this.fail(`unexpected ${JSON.stringify(this.s.slice(this.i, this.i + 10))} in the header`);
  }
}

const UNSUPPORTED_KINDS: Record<string, string> = {
  c: 'complex', O: 'object', U: 'unicode string', S: 'byte string', a: 'byte string', V: 'void/raw', M: 'datetime', m: 'timedelta',
};

function parseDescr(descr: PyValue, fail: (why: string) => never): ElementType {
  if (typeof descr !== 'string') fail("structured dtypes (a list 'descr') are not supported: save a plain float array");
  const m = /^([<>|=]?)([a-zA-Z])(\d*)(\[\w+\])?$/.exec(descr);
  if (!m) fail(`unsupported dtype '${descr}'`);
  const [, order, kind, digits] = m;
  const size = Number(digits || '0');
  const name = UNSUPPORTED_KINDS[kind!];
  if (name) fail(`unsupported dtype '${descr}' (${name}): only float, integer and bool arrays`);
  const sizes: Record<string, number[]> = { f: [2, 4, 8], i: [1, 2, 4, 8], u: [1, 2, 4, 8], b: [1] };
  if (!sizes[kind!]?.includes(size)) {
    fail(`unsupported dtype '${descr}'${kind === 'f' && size > 8 ? ' (long double)' : ''}: only float16/32/64, integer and bool arrays`);
  }
  const littleEndian = order === '>' ? false : order === '<' ? true : new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  return elementType(kind as ElementType['kind'], size as ElementType['size'], littleEndian);
}

/** The fixed-size preamble: version and header length. */
function preamble(bytes: Uint8Array, fail: (why: string) => never): { version: NpyHeader['version']; start: number; length: number } {
  if (bytes.length < 8 || NPY_MAGIC.some((b, i) => bytes[i] !== b)) fail('not a .npy file (bad magic: expected "\\x93NUMPY")');
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if (!(major >= 1 && major <= 3 && minor === 0)) fail(`unsupported .npy format version ${major}.${minor} (1.0, 2.0 and 3.0 are read)`);
  const start = major === 1 ? 10 : 12;
  if (bytes.length < start) fail('is truncated inside the .npy preamble');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (length > MAX_HEADER_BYTES) fail(`.npy header length ${length} exceeds ${MAX_HEADER_BYTES} bytes`);
  return { version: `${major}.0` as NpyHeader['version'], start, length };
}

/**
 * Parses the preamble and header dict at the start of `bytes` (which must hold
 * at least the whole header; the data may be absent). Throws
 * ERR_INVALID_ARGUMENT naming `file`.
 */
export function parseNpyHeader(bytes: Uint8Array, file = '<buffer>'): NpyHeader {
  const fail = (why: string): never => {
    throw fileError(file, why);
  };
  if (!(bytes instanceof Uint8Array)) fail('expected a Uint8Array');
  const { version, start, length } = preamble(bytes, fail);
  if (bytes.length < start + length) fail(`is truncated inside the .npy header (${start + length} bytes expected, ${bytes.length} present)`);
  const raw = bytes.subarray(start, start + length);
  let text: string;
  try {
    text = new TextDecoder(version === '3.0' ? 'utf-8' : 'latin1', { fatal: true }).decode(raw);
  } catch {
    return fail('the .npy header is not valid UTF-8');
  }
  const dict = new LiteralParser(text, (why) => fail(`bad .npy header: ${why}`)).parseAll();
  if (!(dict instanceof Map)) return fail('bad .npy header: not a dict');
  const keys = [...dict.keys()].sort().join(', ');
  if (keys !== 'descr, fortran_order, shape') fail(`bad .npy header: keys are {${keys}}, expected {descr, fortran_order, shape}`);
  const type = parseDescr(dict.get('descr')!, fail);
  const fortranOrder = dict.get('fortran_order');
  if (typeof fortranOrder !== 'boolean') fail("bad .npy header: 'fortran_order' must be True or False");
  const shapeValue = dict.get('shape');
  if (shapeValue === null || typeof shapeValue !== 'object' || !('tuple' in shapeValue)) fail("bad .npy header: 'shape' must be a tuple");
  const shape = (shapeValue as { tuple: PyValue[] }).tuple;
  if (!shape.every((d): d is number => typeof d === 'number' && d >= 0)) fail("bad .npy header: 'shape' must hold non-negative integers");
  const dims = shape as number[];
  if (dims.length === 0) fail('holds a 0-d scalar, not a matrix');
  if (dims.length > 2) fail(`holds a ${dims.length}-d array (${dims.join('×')}): reshape it to N×n (samples × neurons) first`);
  if (dims.includes(0)) fail(`holds an empty array (shape ${dims.join('×')})`);
  const rows = dims[0]!;
  const cols = dims[1] ?? 1;
  return { version, descr: dict.get('descr') as string, type, fortranOrder: fortranOrder as boolean, shape: dims, rows, cols, dataOffset: start + length };
}

/** Reads the header of a .npy source and returns where its data sits. */
export function npyLayout(source: ByteSource): BinaryLayout & { header: NpyHeader } {
  const fail = (why: string): never => {
    throw fileError(source.name, why);
  };
  const head = new Uint8Array(Math.min(12, source.size));
  source.read(0, head);
  const { start, length } = preamble(head, fail);
  if (source.size < start + length) fail(`is truncated inside the .npy header (${start + length} bytes expected, ${source.size} present)`);
  const bytes = new Uint8Array(start + length);
  source.read(0, bytes);
  const header = parseNpyHeader(bytes, source.name);
  const layout = { source, offset: header.dataOffset, rows: header.rows, cols: header.cols, type: header.type, fortranOrder: header.fortranOrder, header };
  checkPayload(layout);
  return layout;
}

/**
 * Reads a .npy file (a path) or its bytes into a row-major matrix; Fortran
 * order is transposed to C order. Errors are EffrankError ERR_INVALID_ARGUMENT
 * whose message starts with the file name (`name` for bytes).
 */
export function readNpy(source: string | Uint8Array, name = typeof source === 'string' ? source : '<buffer>'): NpyArray {
  const src = typeof source === 'string' ? fileSource(source) : bytesSource(asBytes(source, name), name);
  try {
    const layout = npyLayout(src);
    return { ...readLayout(layout), header: layout.header };
  } finally {
    src.close();
  }
}

function asBytes(x: unknown, name: string): Uint8Array {
  if (x instanceof Uint8Array) return x;
  throw fileError(name, 'expected a path or a Uint8Array');
}
