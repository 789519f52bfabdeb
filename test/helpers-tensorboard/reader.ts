/**
 * An independent reader of TensorBoard event files, for the tests: TFRecord
 * framing with both CRCs checked (a bit-at-a-time CRC-32C, not the writer's
 * table), a generic protobuf wire decoder, and the Event fields we write.
 * Shares no code with src/tensorboard.
 */
import { readFileSync } from 'node:fs';

export function crc32cBitwise(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0x82f63b78 & -(c & 1));
  }
  return ~c >>> 0;
}

export function masked(crc: number): number {
  const rotated = ((crc >>> 15) | (crc << 17)) >>> 0;
  return (rotated + 0xa282ead8) % 2 ** 32;
}

export class CorruptEventFile extends Error {}

/** The data of every record; throws CorruptEventFile on a bad length, CRC or a torn record. */
export function readRecords(bytes: Uint8Array): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 12 > bytes.length) throw new CorruptEventFile(`torn header at ${at}`);
    const length = Number(view.getBigUint64(at, true));
    if (view.getUint32(at + 8, true) !== masked(crc32cBitwise(bytes.subarray(at, at + 8)))) throw new CorruptEventFile(`length CRC mismatch at ${at}`);
    const start = at + 12;
    if (start + length + 4 > bytes.length) throw new CorruptEventFile(`torn record at ${at}`);
    const data = bytes.subarray(start, start + length);
    if (view.getUint32(start + length, true) !== masked(crc32cBitwise(data))) throw new CorruptEventFile(`data CRC mismatch at ${at}`);
    out.push(data);
    at = start + length + 4;
  }
  return out;
}

type Field = { wire: 0; value: bigint } | { wire: 1; value: DataView } | { wire: 2; value: Uint8Array } | { wire: 5; value: DataView };

/** field number → occurrences, in order. */
export function decodeMessage(bytes: Uint8Array): Map<number, Field[]> {
  const fields = new Map<number, Field[]>();
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (at >= bytes.length) throw new Error('varint runs past the end');
      const b = bytes[at++]!;
      result |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return result;
    }
  };
  while (at < bytes.length) {
    const key = Number(varint());
    const field = key >>> 3;
    const wire = key & 7;
    let f: Field;
    if (wire === 0) f = { wire, value: varint() };
    else if (wire === 1) (f = { wire, value: new DataView(bytes.buffer, bytes.byteOffset + at, 8) }), (at += 8);
    else if (wire === 5) (f = { wire, value: new DataView(bytes.buffer, bytes.byteOffset + at, 4) }), (at += 4);
    else if (wire === 2) {
      const n = Number(varint());
      f = { wire, value: bytes.subarray(at, at + n) };
      at += n;
    } else throw new Error(`unexpected wire type ${wire}`);
    if (at > bytes.length) throw new Error('field runs past the end');
    fields.set(field, [...(fields.get(field) ?? []), f]);
  }
  return fields;
}

const text = new TextDecoder();
const one = (m: Map<number, Field[]>, n: number) => m.get(n)?.[0];
const double = (m: Map<number, Field[]>, n: number) => (one(m, n)?.value as DataView | undefined)?.getFloat64(0, true);
const str = (m: Map<number, Field[]>, n: number) => {
  const v = one(m, n)?.value;
  return v instanceof Uint8Array ? text.decode(v) : undefined;
};
const sub = (m: Map<number, Field[]>, n: number) => {
  const v = one(m, n)?.value;
  return v instanceof Uint8Array ? decodeMessage(v) : undefined;
};
function packedDoubles(m: Map<number, Field[]>, n: number): number[] {
  const out: number[] = [];
  for (const f of m.get(n) ?? []) {
    const b = f.value as Uint8Array;
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    for (let i = 0; i < b.length; i += 8) out.push(v.getFloat64(i, true));
  }
  return out;
}

export interface DecodedValue {
  tag: string;
  plugin?: string;
  dataClass?: number;
  tensor?: { dtype: number; dims: number; doubles: number[]; strings: string[] };
  histo?: { min: number; max: number; num: number; sum: number; sumSquares: number; bucketLimit: number[]; bucket: number[] };
}

export interface DecodedEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  values: DecodedValue[];
}

export function decodeEvent(bytes: Uint8Array): DecodedEvent {
  const e = decodeMessage(bytes);
  const summary = sub(e, 5);
  const values = (summary?.get(1) ?? []).map((f): DecodedValue => {
    const v = decodeMessage(f.value as Uint8Array);
    const meta = sub(v, 9);
    const tensor = sub(v, 8);
    const histo = sub(v, 5);
    return {
      tag: str(v, 1)!,
      plugin: meta ? str(sub(meta, 1)!, 1) : undefined,
      dataClass: meta?.get(4) ? Number(one(meta, 4)!.value) : undefined,
      tensor: tensor && {
        dtype: Number(one(tensor, 1)!.value),
        dims: sub(tensor, 2)?.get(2)?.length ?? 0,
        doubles: packedDoubles(tensor, 6),
        strings: (tensor.get(8) ?? []).map((s) => text.decode(s.value as Uint8Array)),
      },
      histo: histo && {
        min: double(histo, 1)!, max: double(histo, 2)!, num: double(histo, 3)!, sum: double(histo, 4)!, sumSquares: double(histo, 5)!,
        bucketLimit: packedDoubles(histo, 6), bucket: packedDoubles(histo, 7),
      },
    };
  });
  return { wallTime: double(e, 1)!, step: Number(one(e, 2)?.value ?? 0n), fileVersion: str(e, 3), values };
}

export function readEventFile(path: string): DecodedEvent[] {
  return readRecords(readFileSync(path)).map(decodeEvent);
}

/** tag → [step, value] for every scalar (0-d double tensor of the scalars plugin). */
export function scalarsOf(events: DecodedEvent[]): Map<string, Array<[number, number]>> {
  const out = new Map<string, Array<[number, number]>>();
  for (const e of events) {
    for (const v of e.values) {
      if (v.plugin !== 'scalars') continue;
      out.set(v.tag, [...(out.get(v.tag) ?? []), [e.step, v.tensor!.doubles[0]!]]);
    }
  }
  return out;
}
