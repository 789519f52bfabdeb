/**
 * A safetensors writer for the tests, from the published format: u64 LE
 * header length, a JSON header { name: { dtype, shape, data_offsets } },
 * then the tensors' little-endian bytes back to back. Independent of
 * src/io/safetensors.ts.
 */
import { writeFileSync } from 'node:fs';

export interface TensorSpec {
  dtype: string;
  shape: number[];
  /** The raw little-endian bytes, exactly as stored. */
  bytes: Uint8Array;
}

export function encodeSafetensors(tensors: Record<string, TensorSpec>, metadata?: Record<string, string>, pad = 0): Uint8Array {
  const header: Record<string, unknown> = metadata ? { __metadata__: metadata } : {};
  let at = 0;
  for (const [name, t] of Object.entries(tensors)) {
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [at, at + t.bytes.length] };
    at += t.bytes.length;
  }
  // The format pads the header with spaces to a multiple of 8 (optional for readers).
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8 + pad);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + at);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let p = 8 + head.length;
  for (const t of Object.values(tensors)) {
    out.set(t.bytes, p);
    p += t.bytes.length;
  }
  return out;
}

export function writeSafetensors(path: string, tensors: Record<string, TensorSpec>, metadata?: Record<string, string>): void {
  writeFileSync(path, encodeSafetensors(tensors, metadata));
}

export const f32 = (values: number[]) => new Uint8Array(Float32Array.from(values).buffer);
export const f64 = (values: number[]) => new Uint8Array(Float64Array.from(values).buffer);
