/**
 * Fuzz inputs. Generators produce plain, printable *descriptions* (numbers,
 * strings, arrays); `build*` turns a description into the real, possibly
 * hostile JS value inside each run. So fast-check's counterexamples are
 * readable, and a run that detaches or mutates its buffers never poisons the
 * value fast-check replays while shrinking.
 *
 * What the descriptions cover:
 *  - shapes: 1…8 (sometimes up to 40), 0, −1, −0, non-integers, NaN, ±Inf,
 *    2³¹−1, 2³¹, 2³², 2⁵³, 2⁵³+2, 1e308, strings, null, bigints, objects;
 *  - data lengths that match rows×cols, and lengths that do not;
 *  - entries: modest values, small integers, NaN, ±Inf, −0, subnormals of
 *    both dtypes, ±MAX_VALUE, float32's max and min, 1e±300;
 *  - storage: plain, a view at an offset into a larger NaN-filled buffer,
 *    SharedArrayBuffer, a detached buffer, a resizable (length-tracking)
 *    buffer, one shrunk after the view was made, a Float64Array subclass
 *    whose `length` lies (a "matching-looking" length for huge shapes),
 *    objects posing as typed arrays (Object.create(Float64Array.prototype),
 *    a Proxy), integer / bigint typed arrays, plain arrays, ArrayBuffers,
 *    DataViews;
 *  - nested number[][] (also rows that are typed arrays), ragged, holes,
 *    strings, and fc.anything() junk;
 *  - weights of every bad kind, and options objects with junk fields.
 */
import fc from 'fast-check';

// ---------------------------------------------------------------------------
// Scalars

export const SPECIALS: readonly number[] = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  0,
  5e-324, // smallest float64 subnormal
  -5e-324,
  1e-310, // a float64 subnormal
  2.2250738585072014e-308, // smallest normal float64
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  1e300,
  -1e-300,
  3.4028234663852886e38, // float32 max
  1.401298464324817e-45, // smallest float32 subnormal
  1.1754943508222875e-38, // smallest normal float32
  1e-40, // a float32 subnormal
];

/** Junk of every JS kind (as in test/errors.test.ts), for any argument slot. */
export const junk = fc.anything({
  withBoxedValues: true,
  withMap: true,
  withSet: true,
  withSparseArray: true,
  withTypedArray: true,
  withNullPrototype: true,
  withDate: true,
  withBigInt: true,
  maxDepth: 2,
  maxKeys: 4,
});

const modest = fc.double({ min: -100, max: 100, noNaN: true });
const smallInt = fc.integer({ min: -3, max: 3 });
const special = fc.constantFrom(...SPECIALS);

/** An entry of a "clean" matrix: finite, ordinary magnitudes. */
export const cleanEntry = fc.oneof({ weight: 6, arbitrary: modest }, { weight: 3, arbitrary: smallInt });
/** An entry of a "spicy" matrix: anything a float can be. */
export const spicyEntry = fc.oneof(
  { weight: 4, arbitrary: modest },
  { weight: 2, arbitrary: smallInt },
  { weight: 2, arbitrary: special },
  { weight: 1, arbitrary: fc.double() },
);

export const WEIRD_DIMS: readonly unknown[] = [
  0, -1, -0, 1.5, 2.0000001, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY,
  2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, 1e308, 46341, 65536,
  '3', '', null, undefined, true, 3n, {}, [2], { valueOf: () => 2 },
];
const weirdDim = fc.constantFrom(...WEIRD_DIMS);
export const anyDim = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 6 }) }, { weight: 3, arbitrary: weirdDim }, { weight: 1, arbitrary: junk });

// ---------------------------------------------------------------------------
// Matrices

export type DType = 'f64' | 'f32';
export type Storage =
  | 'plain' | 'offset' | 'shared' | 'detached' | 'resizable' | 'shrunk' | 'liar' | 'bigLiar' | 'getter'
  | 'protoFake' | 'proxy' | 'int32' | 'bigint64' | 'uint8' | 'array' | 'arrayBuffer' | 'dataView';

/** A matrix-like argument, before it is built. */
export type MatrixDesc =
  | { form: 'typed'; dtype: DType; rows: unknown; cols: unknown; values: number[]; storage: Storage; offset: number }
  | { form: 'nested'; rows: number; cols: number; values: unknown[]; rowKind: 'array' | 'f64' | 'f32'; flaw: NestedFlaw }
  | { form: 'junk'; value: unknown };

type NestedFlaw = 'none' | 'ragged' | 'hole' | 'string' | 'undefined' | 'emptyRow' | 'flat' | 'bigint';

const GOOD_STORAGE = fc.constantFrom<Storage>('plain', 'plain', 'plain', 'offset', 'shared', 'resizable', 'getter');
const ANY_STORAGE = fc.constantFrom<Storage>(
  'plain', 'offset', 'shared', 'detached', 'resizable', 'shrunk', 'liar', 'bigLiar', 'getter',
  'protoFake', 'proxy', 'int32', 'bigint64', 'uint8', 'array', 'arrayBuffer', 'dataView',
);

export interface MatrixOptions {
  /** rows === cols for the well-shaped ones. */
  square?: boolean;
  /** Largest dimension of the well-shaped ones (default 8; 1 in 20 go up to 40). */
  maxDim?: number;
}

function wellShaped(o: MatrixOptions): fc.Arbitrary<MatrixDesc> {
  const max = o.maxDim ?? 8;
  const dimArb = fc.oneof({ weight: 19, arbitrary: fc.integer({ min: 1, max }) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: Math.max(max, 40) }) });
  const dims = o.square ? dimArb.map((n) => [n, n] as const) : fc.tuple(dimArb, dimArb);
  return fc.tuple(dims, fc.constantFrom('f64', 'f32') as fc.Arbitrary<DType>, fc.boolean(), fc.nat({ max: 9 })).chain(([[rows, cols], dtype, nested, flavour]): fc.Arbitrary<MatrixDesc> => {
    const entry = flavour === 0 ? spicyEntry : cleanEntry; // 1 in 10 matrices may hold specials
    const values = fc.array(entry, { minLength: rows * cols, maxLength: rows * cols });
    if (nested) {
      return fc.record({
        form: fc.constant('nested' as const),
        rows: fc.constant(rows),
        cols: fc.constant(cols),
        values,
        rowKind: fc.constantFrom('array', 'array', 'f64', 'f32') as fc.Arbitrary<'array' | 'f64' | 'f32'>,
        flaw: fc.constant<NestedFlaw>('none'),
      }) as fc.Arbitrary<MatrixDesc>;
    }
    return fc.record({
      form: fc.constant('typed' as const),
      dtype: fc.constant(dtype),
      rows: fc.constant<unknown>(rows),
      cols: fc.constant<unknown>(cols),
      values,
      storage: GOOD_STORAGE,
      offset: fc.integer({ min: 1, max: 3 }),
    }) as fc.Arbitrary<MatrixDesc>;
  });
}

function misShaped(): fc.Arbitrary<MatrixDesc> {
  const typed = fc.record({
    form: fc.constant('typed' as const),
    dtype: fc.constantFrom('f64', 'f32') as fc.Arbitrary<DType>,
    rows: anyDim,
    cols: anyDim,
    values: fc.array(spicyEntry, { maxLength: 20 }),
    storage: ANY_STORAGE,
    offset: fc.integer({ min: 1, max: 3 }),
  });
  const nested = fc.record({
    form: fc.constant('nested' as const),
    rows: fc.integer({ min: 0, max: 4 }),
    cols: fc.integer({ min: 0, max: 4 }),
    values: fc.array(spicyEntry, { maxLength: 16 }),
    rowKind: fc.constantFrom('array', 'f64', 'f32') as fc.Arbitrary<'array' | 'f64' | 'f32'>,
    flaw: fc.constantFrom<NestedFlaw>('none', 'ragged', 'hole', 'string', 'undefined', 'emptyRow', 'flat', 'bigint'),
  });
  // A well-shaped matrix with a single flaw in its storage (detached, lying length, posing…).
  return fc.oneof(typed as fc.Arbitrary<MatrixDesc>, nested as fc.Arbitrary<MatrixDesc>);
}

export function matrixDesc(o: MatrixOptions = {}): fc.Arbitrary<MatrixDesc> {
  return fc.oneof(
    { weight: 14, arbitrary: wellShaped(o) },
    { weight: 2, arbitrary: wellShaped(o).chain((d): fc.Arbitrary<MatrixDesc> => (d.form === 'typed' ? ANY_STORAGE.map((storage) => ({ ...d, storage })) : fc.constant(d))) },
    { weight: 4, arbitrary: misShaped() },
    { weight: 1, arbitrary: junk.map((value): MatrixDesc => ({ form: 'junk', value })) },
  );
}

// ---------------------------------------------------------------------------
// Building typed storage

/** The constructor for a dtype (typed as Float64Array's: the two share their API). */
function typedOf(dtype: DType): Float64ArrayConstructor {
  return (dtype === 'f32' ? Float32Array : Float64Array) as unknown as Float64ArrayConstructor;
}

/** A view of `values` in the requested storage; may be hostile. `lie` is the length a lying array reports. */
export function buildArray(dtype: DType, values: readonly number[], storage: Storage, offset = 1, lie?: number): unknown {
  const T = typedOf(dtype);
  const bpe = T.BYTES_PER_ELEMENT;
  const n = values.length;
  switch (storage) {
    case 'plain':
      return T.from(values);
    case 'offset': {
      const buf = new ArrayBuffer((n + offset + 2) * bpe);
      new T(buf).fill(Number.NaN); // a read outside the view sees NaN and fails loudly
      const view = new T(buf, offset * bpe, n);
      view.set(values);
      return view;
    }
    case 'shared': {
      const view = new T(new SharedArrayBuffer(n * bpe));
      view.set(values);
      return view;
    }
    case 'detached': {
      const view = T.from(values);
      structuredClone(view.buffer, { transfer: [view.buffer] });
      return view;
    }
    case 'resizable':
    case 'shrunk': {
      const Resizable = ArrayBuffer as unknown as new (bytes: number, o: { maxByteLength: number }) => ArrayBuffer & { resize(n: number): void };
      const buf = new Resizable(n * bpe, { maxByteLength: (n + 8) * bpe });
      const view = new T(buf); // length-tracking
      view.set(values);
      if (storage === 'shrunk') buf.resize(Math.max(0, n - 1) * bpe);
      return view;
    }
    case 'liar':
    case 'bigLiar': {
      // A real typed array whose `length` reports the shape's product (or 2^62),
      // or always 2^31 − 1 (bigLiar: the shape may be right, the length is not).
      const reported = storage === 'bigLiar' ? 2 ** 31 - 1 : lie !== undefined && Number.isFinite(lie) ? lie : 2 ** 62;
      class Liar extends T {
        override get length(): number {
          return reported;
        }
      }
      const view = new Liar(n);
      view.set(values);
      return view;
    }
    case 'getter':
      return T.from(values); // the matrix object wraps it in a getter (see buildMatrix)
    case 'protoFake':
      return Object.create(T.prototype) as unknown;
    case 'proxy':
      return new Proxy(T.from(values), {});
    case 'int32':
      return Int32Array.from(values.map((v) => (Number.isFinite(v) ? Math.trunc(v) % 1000 : 0)));
    case 'bigint64':
      return BigInt64Array.from(values.map((v) => (Number.isFinite(v) ? BigInt(Math.trunc(v) % 1000) : 0n)));
    case 'uint8':
      return Uint8Array.from(values.map((v) => (Number.isFinite(v) ? Math.abs(Math.trunc(v)) % 256 : 0)));
    case 'array':
      return [...values];
    case 'arrayBuffer':
      return T.from(values).buffer;
    case 'dataView':
      return new DataView(T.from(values).buffer);
  }
}

function product(a: unknown, b: unknown, c: unknown = 1): number | undefined {
  return typeof a === 'number' && typeof b === 'number' && typeof c === 'number' ? a * b * c : undefined;
}

export function buildMatrix(d: MatrixDesc): unknown {
  switch (d.form) {
    case 'junk':
      return d.value;
    case 'typed': {
      const data = buildArray(d.dtype, d.values, d.storage, d.offset, product(d.rows, d.cols));
      if (d.storage === 'getter') {
        // Every read of .data returns the same array; rows/cols are getters too.
        const { rows, cols } = d;
        return {
          get data() {
            return data;
          },
          get rows() {
            return rows;
          },
          get cols() {
            return cols;
          },
        };
      }
      return { data, rows: d.rows, cols: d.cols };
    }
    case 'nested':
      return buildNested(d);
  }
}

function buildNested(d: Extract<MatrixDesc, { form: 'nested' }>): unknown {
  const { rows, cols, values, rowKind, flaw } = d;
  if (flaw === 'flat') return [...values];
  const out: unknown[] = [];
  for (let i = 0; i < rows; i++) {
    const row: unknown[] = [];
    for (let j = 0; j < cols; j++) row.push(values.length ? values[(i * cols + j) % values.length] : 0);
    if (flaw === 'ragged' && i === rows - 1) row.pop();
    if (flaw === 'emptyRow' && i === 0) row.length = 0;
    if (flaw === 'string' && i === rows - 1 && cols > 0) row[cols - 1] = '1';
    if (flaw === 'undefined' && i === 0 && cols > 0) row[0] = undefined;
    if (flaw === 'bigint' && i === 0 && cols > 0) row[0] = 1n;
    if (flaw === 'hole' && i === 0 && cols > 0) delete row[0];
    const numeric = row.every((v) => typeof v === 'number') && row.length === cols;
    if (rowKind !== 'array' && numeric) out.push(rowKind === 'f32' ? Float32Array.from(row as number[]) : Float64Array.from(row as number[]));
    else out.push(row);
  }
  return out;
}

// ---------------------------------------------------------------------------
// What a built matrix is, for the validity checks: shape, dtype, entries.

export interface Facts {
  rows: number;
  cols: number;
  dtype: DType;
  /** The entries as the library must read them (row-major), or null when the input is not a valid matrix. */
  values: Float64Array;
}

/**
 * The matrix the library should see, if the input is a well-formed one
 * (read independently of the library: typed data through a fresh copy,
 * nested arrays entry by entry). null when the input is malformed.
 */
export function factsOf(x: unknown): Facts | null {
  try {
    if (Array.isArray(x)) {
      const rows = x.length;
      const first: unknown = x[0];
      if (rows === 0 || !(Array.isArray(first) || first instanceof Float32Array || first instanceof Float64Array)) return null;
      const cols = first.length;
      if (cols === 0) return null;
      const values = new Float64Array(rows * cols);
      for (let i = 0; i < rows; i++) {
        const row: unknown = x[i];
        if (!(Array.isArray(row) || row instanceof Float32Array || row instanceof Float64Array) || row.length !== cols) return null;
        for (let j = 0; j < cols; j++) {
          const v: unknown = row[j];
          if (typeof v !== 'number') return null;
          values[i * cols + j] = v;
        }
      }
      return { rows, cols, dtype: 'f64', values };
    }
    if (x === null || typeof x !== 'object') return null;
    const { data, rows, cols } = x as { data?: unknown; rows?: unknown; cols?: unknown };
    if (!realFloatArray(data)) return null;
    if (!isDim(rows) || !isDim(cols) || rows * cols > 2 ** 31 - 1) return null;
    const copy = realCopy(data);
    if (copy === null || copy.length !== rows * cols) return null;
    return { rows, cols, dtype: data instanceof Float32Array ? 'f32' : 'f64', values: Float64Array.from(copy) };
  } catch {
    return null;
  }
}

function isDim(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 2 ** 31 - 1;
}

/** A genuine (not posing) Float32Array / Float64Array. */
export function realFloatArray(x: unknown): x is Float32Array | Float64Array {
  return ArrayBuffer.isView(x) && (x instanceof Float32Array || x instanceof Float64Array);
}

/** The elements really held (not what an overridden `length` says), or null if detached. */
export function realCopy(a: Float32Array | Float64Array): Float32Array | Float64Array | null {
  const T = a instanceof Float32Array ? Float32Array : Float64Array;
  const byteLength = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Float64Array.prototype), 'byteLength')!.get!.call(a) as number;
  const byteOffset = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Float64Array.prototype), 'byteOffset')!.get!.call(a) as number;
  const buffer = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Float64Array.prototype), 'buffer')!.get!.call(a) as ArrayBufferLike;
  if (byteLength === 0) {
    try {
      new Uint8Array(buffer);
    } catch {
      return null; // detached
    }
  }
  return new T(buffer as ArrayBuffer, byteOffset, byteLength / T.BYTES_PER_ELEMENT).slice();
}

// ---------------------------------------------------------------------------
// Batches

export type BatchDesc =
  | { form: 'batch'; dtype: DType; count: unknown; rows: unknown; cols: unknown; n: unknown; values: number[]; storage: Storage; offset: number }
  | { form: 'junk'; value: unknown };

export function batchDesc(kind: 'rect' | 'square'): fc.Arbitrary<BatchDesc> {
  const good = fc
    .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.constantFrom<DType>('f64', 'f32'), fc.nat({ max: 9 }))
    .chain(([count, r, c, dtype, flavour]) => {
      const cols = kind === 'square' ? r : c;
      return fc.record({
        form: fc.constant('batch' as const),
        dtype: fc.constant(dtype),
        count: fc.constant<unknown>(count),
        rows: fc.constant<unknown>(r),
        cols: fc.constant<unknown>(cols),
        n: fc.constant<unknown>(r),
        values: fc.array(flavour === 0 ? spicyEntry : cleanEntry, { minLength: count * r * cols, maxLength: count * r * cols }),
        storage: fc.oneof({ weight: 6, arbitrary: GOOD_STORAGE }, { weight: 1, arbitrary: ANY_STORAGE }),
        offset: fc.integer({ min: 1, max: 3 }),
      });
    });
  const bad = fc.record({
    form: fc.constant('batch' as const),
    dtype: fc.constantFrom<DType>('f64', 'f32'),
    count: anyDim,
    rows: anyDim,
    cols: anyDim,
    n: anyDim,
    values: fc.array(spicyEntry, { maxLength: 24 }),
    storage: ANY_STORAGE,
    offset: fc.integer({ min: 1, max: 3 }),
  });
  return fc.oneof({ weight: 10, arbitrary: good }, { weight: 4, arbitrary: bad }, { weight: 1, arbitrary: junk.map((value) => ({ form: 'junk' as const, value })) });
}

export function buildBatch(d: BatchDesc, kind: 'rect' | 'square'): unknown {
  if (d.form === 'junk') return d.value;
  const lie = kind === 'rect' ? product(d.count, d.rows, d.cols) : product(d.count, d.n, d.n);
  const data = buildArray(d.dtype, d.values, d.storage, d.offset, lie);
  return kind === 'rect' ? { data, count: d.count, rows: d.rows, cols: d.cols } : { data, count: d.count, n: d.n };
}

// ---------------------------------------------------------------------------
// Weights

export type WeightsDesc =
  | { kind: 'none' }
  | { kind: 'valid'; form: 'array' | 'f64' | 'f32' | 'offset' | 'shared'; values: number[] }
  | { kind: 'bad'; flaw: WeightFlaw; values: number[]; delta: number }
  | { kind: 'junk'; value: unknown };

type WeightFlaw =
  | 'length' | 'negative' | 'nan' | 'inf' | '-inf' | 'string' | 'hole' | 'undefined' | 'int32' | 'bigint64'
  | 'detached' | 'arrayLike' | 'protoFake' | 'nested' | 'number' | 'stringValue' | 'null' | 'bigintEntry' | 'objectEntry';

const weightValue = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: 0, max: 10, noNaN: true }) },
  { weight: 2, arbitrary: fc.constantFrom(0, -0, 1, 5e-324, 1e-300, 1e300, 3.4e38) },
);

export const weightsDesc: fc.Arbitrary<WeightsDesc> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: 'none' as const }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('valid' as const),
      form: fc.constantFrom('array', 'f64', 'f32', 'offset', 'shared') as fc.Arbitrary<'array' | 'f64' | 'f32' | 'offset' | 'shared'>,
      values: fc.array(weightValue, { minLength: 48, maxLength: 48 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('bad' as const),
      flaw: fc.constantFrom<WeightFlaw>(
        'length', 'negative', 'nan', 'inf', '-inf', 'string', 'hole', 'undefined', 'int32', 'bigint64',
        'detached', 'arrayLike', 'protoFake', 'nested', 'number', 'stringValue', 'null', 'bigintEntry', 'objectEntry',
      ),
      values: fc.array(weightValue, { minLength: 48, maxLength: 48 }),
      delta: fc.constantFrom(-2, -1, 1, 2, 100),
    }),
  },
  { weight: 1, arbitrary: junk.map((value) => ({ kind: 'junk' as const, value })) },
);

/** Builds weights for a matrix whose contracted dimension is `expected` (unknown → 3). */
export function buildWeights(d: WeightsDesc, expected: number | undefined): unknown {
  const n = expected !== undefined && Number.isInteger(expected) && expected >= 0 && expected <= 48 ? expected : 3;
  switch (d.kind) {
    case 'none':
      return undefined;
    case 'junk':
      return d.value;
    case 'valid': {
      const v = d.values.slice(0, n);
      while (v.length < n) v.push(1);
      if (d.form === 'array') return v;
      if (d.form === 'f32') return Float32Array.from(v, (x) => Math.min(x, 1e30)); // stays finite in float32
      return buildArray('f64', v, d.form === 'f64' ? 'plain' : d.form);
    }
    case 'bad': {
      const v = d.values.slice(0, n);
      while (v.length < n) v.push(1);
      const at = n > 0 ? n - 1 : 0;
      switch (d.flaw) {
        case 'length': {
          const len = Math.max(0, n + d.delta);
          const w = d.values.slice(0, Math.min(len, 48));
          while (w.length < len) w.push(1);
          return w.length === n ? [...w, 1] : w;
        }
        case 'negative':
          v[at] = -1;
          return Float64Array.from(v);
        case 'nan':
          v[at] = Number.NaN;
          return v;
        case 'inf':
          v[at] = Number.POSITIVE_INFINITY;
          return Float64Array.from(v);
        case '-inf':
          v[at] = Number.NEGATIVE_INFINITY;
          return Float32Array.from(v);
        case 'string':
          return v.map((x, i) => (i === at ? String(x) : x));
        case 'hole': {
          const w: unknown[] = [...v];
          delete w[at];
          return w;
        }
        case 'undefined':
          return v.map((x, i) => (i === at ? undefined : x));
        case 'int32':
          return Int32Array.from(v.map(Math.trunc));
        case 'bigint64':
          return BigInt64Array.from(v.map((x) => BigInt(Math.trunc(Math.min(x, 1e6)))));
        case 'detached':
          return buildArray('f64', v, 'detached');
        case 'arrayLike':
          return Object.fromEntries([...v.entries(), ['length', v.length]]);
        case 'protoFake':
          return Object.create(Float64Array.prototype) as unknown;
        case 'nested':
          return [v];
        case 'number':
          return 5;
        case 'stringValue':
          return 'weights';
        case 'null':
          return null;
        case 'bigintEntry':
          return v.map((x, i) => (i === at ? 1n : x));
        case 'objectEntry':
          return v.map((x, i) => (i === at ? Object.create(null) : x));
      }
    }
  }
}

// ---------------------------------------------------------------------------
// Option values. Each generated value says whether it is known to be valid;
// junk is "not known valid" (it may happen to be harmless), so a check that
// depends on validity only tightens the expectation for known-valid values.

export interface Opt {
  v: unknown;
  ok: boolean;
}

/** One of the valid values most of the time, else a near miss or junk. */
export function optionValue(valid: readonly unknown[], nearMisses: readonly unknown[] = []): fc.Arbitrary<Opt> {
  return fc.oneof(
    { weight: 20, arbitrary: fc.constantFrom(...valid).map((v) => ({ v, ok: true })) },
    { weight: 1, arbitrary: (nearMisses.length ? fc.constantFrom(...nearMisses) : junk).map((v) => ({ v, ok: false })) },
    { weight: 1, arbitrary: junk.map((v) => ({ v, ok: false })) },
  );
}

/** A valid value from `valid`, or anything from `other` (not known valid). */
export function optionFrom(valid: fc.Arbitrary<unknown>, other: fc.Arbitrary<unknown> = junk, validWeight = 8): fc.Arbitrary<Opt> {
  return fc.oneof(
    { weight: validWeight, arbitrary: valid.map((v) => ({ v, ok: true })) },
    { weight: 2, arbitrary: other.map((v) => ({ v, ok: false })) },
  );
}

/** An options argument: absent, a record of (possibly bad) fields, or junk. */
export function optionsArg(fields: Record<string, fc.Arbitrary<Opt>>): fc.Arbitrary<Opt> {
  const record = fc.record(fields, { requiredKeys: [] }).map((r) => {
    const v: Record<string, unknown> = {};
    let ok = true;
    for (const [k, o] of Object.entries(r)) {
      if (!o) continue;
      v[k] = o.v;
      ok &&= o.ok;
    }
    return { v, ok };
  });
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant({ v: undefined, ok: true }) },
    { weight: 12, arbitrary: record },
    { weight: 1, arbitrary: fc.constantFrom(null, 0, 'thin', [], true).map((v) => ({ v, ok: false })) },
    { weight: 1, arbitrary: junk.map((v) => ({ v, ok: false })) },
  );
}

/** A finite threshold-like number most of the time; sometimes anything. */
export const scalarArg = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: -50, max: 50, noNaN: true }) },
  { weight: 2, arbitrary: special },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: junk },
);

/** Random bytes, or bytes that start with a plausible header, in every container. */
export type BytesDesc = { container: 'u8' | 'ab' | 'offset' | 'dataView' | 'shared' | 'detached' | 'f64' | 'junk'; bytes: number[]; junk?: unknown };

export function bytesDesc(header: fc.Arbitrary<number[]>): fc.Arbitrary<BytesDesc> {
  const body = fc.oneof(
    { weight: 1, arbitrary: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 400 }) },
    { weight: 3, arbitrary: header },
    { weight: 1, arbitrary: fc.tuple(header, fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 300 })).map(([h, t]) => [...h, ...t]) },
  );
  return fc.record({
    container: fc.constantFrom('u8', 'u8', 'ab', 'offset', 'dataView', 'shared', 'detached', 'f64', 'junk') as fc.Arbitrary<BytesDesc['container']>,
    bytes: body,
    junk,
  });
}

export function buildBytes(d: BytesDesc): unknown {
  const u8 = Uint8Array.from(d.bytes);
  switch (d.container) {
    case 'u8':
      return u8;
    case 'ab':
      return u8.buffer;
    case 'offset': {
      const big = new Uint8Array(u8.length + 7);
      big.set(u8, 3);
      return big.subarray(3, 3 + u8.length);
    }
    case 'dataView':
      return new DataView(u8.buffer);
    case 'shared': {
      const s = new Uint8Array(new SharedArrayBuffer(u8.length));
      s.set(u8);
      return s;
    }
    case 'detached':
      structuredClone(u8.buffer, { transfer: [u8.buffer] });
      return u8;
    case 'f64':
      return u8.length % 8 === 0 ? new Float64Array(u8.buffer) : u8;
    case 'junk':
      return d.junk;
  }
}
