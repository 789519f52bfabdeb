/**
 * The few protobuf wire-format pieces an event file needs, written by hand:
 * varints (wire type 0), 64-bit (1), length-delimited (2) and 32-bit (5)
 * fields, and packed repeated doubles. A generated-code library
 * (@bufbuild/protobuf, protobufjs) would need TensorFlow's .proto files and a
 * code generator for these five messages; this is shorter and has no
 * dependency. Field numbers are in event.ts.
 */
const WIRE_VARINT = 0;
const WIRE_64 = 1;
const WIRE_BYTES = 2;
const WIRE_32 = 5;

const utf8 = new TextEncoder();

export class ProtoWriter {
  #parts: Uint8Array[] = [];
  #length = 0;

  #push(b: Uint8Array): this {
    this.#parts.push(b);
    this.#length += b.length;
    return this;
  }

  #varint(value: bigint): this {
    // Negative int64 is its two's complement: ten bytes.
    let v = BigInt.asUintN(64, value);
    const out: number[] = [];
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 0x80;
      out.push(byte);
    } while (v !== 0n);
    return this.#push(Uint8Array.from(out));
  }

  #tag(field: number, wire: number): this {
    return this.#varint(BigInt((field << 3) | wire));
  }

  /** int64 / enum; `value` must be a safe integer. */
  int64(field: number, value: number): this {
    if (!Number.isSafeInteger(value)) throw new RangeError(`protobuf int64 field ${field}: ${value} is not a safe integer`);
    return this.#tag(field, WIRE_VARINT).#varint(BigInt(value));
  }

  double(field: number, value: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, value, true);
    return this.#tag(field, WIRE_64).#push(b);
  }

  float(field: number, value: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    return this.#tag(field, WIRE_32).#push(b);
  }

  bytes(field: number, value: Uint8Array): this {
    return this.#tag(field, WIRE_BYTES).#varint(BigInt(value.length)).#push(value);
  }

  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value));
  }

  message(field: number, inner: ProtoWriter): this {
    return this.bytes(field, inner.finish());
  }

  /** A packed repeated double field (proto3's default for repeated scalars). */
  packedDoubles(field: number, values: ArrayLike<number>): this {
    const b = new Uint8Array(8 * values.length);
    const view = new DataView(b.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat64(8 * i, values[i]!, true);
    return this.bytes(field, b);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.#length);
    let at = 0;
    for (const p of this.#parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}
