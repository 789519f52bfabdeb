/**
 * TensorBoard's messages, encoded with ProtoWriter. Field numbers follow
 * tensorflow/core/util/event.proto, core/framework/summary.proto and
 * tensor.proto:
 *
 *   Event          wall_time double 1, step int64 2, file_version string 3, summary Summary 5
 *   Summary        value repeated Value 1
 *   Summary.Value  tag string 1, histo HistogramProto 5, tensor TensorProto 8, metadata SummaryMetadata 9
 *   SummaryMetadata  plugin_data PluginData 1 (plugin_name string 1, content bytes 2), data_class enum 4
 *   HistogramProto min 1, max 2, num 3, sum 4, sum_squares 5 (doubles), bucket_limit 6, bucket 7 (packed doubles)
 *   TensorProto    dtype enum 1, tensor_shape TensorShapeProto 2 (empty: a scalar), double_val 6 (packed), string_val 8
 *
 * Scalars are written as 0-d DT_DOUBLE tensors of the "scalars" plugin (what
 * tf.summary.scalar writes, in float64), not the legacy float32 simple_value,
 * so no value loses precision on its way to TensorBoard.
 */
import { ProtoWriter } from './proto.js';

export const FILE_VERSION = 'brain.Event:2';

const DT_DOUBLE = 2;
const DT_STRING = 7;
const DATA_CLASS_SCALAR = 1;
const DATA_CLASS_TENSOR = 2;

export interface Histogram {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  /** Right edge of each bucket, ascending; bucket i counts values in (limit[i-1], limit[i]]. */
  bucketLimit: number[];
  bucket: number[];
}

function metadata(plugin: string, dataClass: number): ProtoWriter {
  return new ProtoWriter().message(1, new ProtoWriter().string(1, plugin)).int64(4, dataClass);
}

function event(wallTime: number, step: number): ProtoWriter {
  return new ProtoWriter().double(1, wallTime).int64(2, step);
}

export function fileVersionEvent(wallTime: number): Uint8Array {
  return new ProtoWriter().double(1, wallTime).string(3, FILE_VERSION).finish();
}

function summaryEvent(wallTime: number, step: number, value: ProtoWriter): Uint8Array {
  return event(wallTime, step).message(5, new ProtoWriter().message(1, value)).finish();
}

export function scalarEvent(tag: string, value: number, step: number, wallTime: number): Uint8Array {
  const tensor = new ProtoWriter().int64(1, DT_DOUBLE).message(2, new ProtoWriter()).packedDoubles(6, [value]);
  return summaryEvent(wallTime, step, new ProtoWriter().string(1, tag).message(8, tensor).message(9, metadata('scalars', DATA_CLASS_SCALAR)));
}

export function textEvent(tag: string, markdown: string, step: number, wallTime: number): Uint8Array {
  const tensor = new ProtoWriter().int64(1, DT_STRING).message(2, new ProtoWriter()).string(8, markdown);
  return summaryEvent(wallTime, step, new ProtoWriter().string(1, tag).message(8, tensor).message(9, metadata('text', DATA_CLASS_TENSOR)));
}

export function histogramEvent(tag: string, h: Histogram, step: number, wallTime: number): Uint8Array {
  const histo = new ProtoWriter()
    .double(1, h.min).double(2, h.max).double(3, h.num).double(4, h.sum).double(5, h.sumSquares)
    .packedDoubles(6, h.bucketLimit).packedDoubles(7, h.bucket);
  return summaryEvent(wallTime, step, new ProtoWriter().string(1, tag).message(5, histo));
}

/**
 * Equal-width buckets over [min, max] of finite values (`buckets` of them;
 * one bucket when all values are equal). Throws on an empty or non-finite
 * input: the caller decides what to leave out. `sum` and `sumSquares` are
 * plain float64 sums: beyond |v| ≈ 1e154 the squares overflow to +∞, as
 * TensorFlow's own would.
 */
export function histogramOf(values: ArrayLike<number>, buckets = 30): Histogram {
  if (values.length === 0) throw new RangeError('histogram of no values');
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) throw new RangeError(`histogram value ${v} is not finite`);
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
    sumSquares += v * v;
  }
  const k = max > min ? buckets : 1;
  // Halves throughout, so that max − min cannot overflow for values near ±1.8e308.
  const halfWidth = (max / 2 - min / 2) / k;
  const bucketLimit = Array.from({ length: k }, (_, i) => (i === k - 1 ? max : 2 * (min / 2 + (i + 1) * halfWidth)));
  const bucket = new Array<number>(k).fill(0);
  for (let i = 0; i < values.length; i++) {
    // (limit[i-1], limit[i]]: the minimum goes into the first bucket.
    const at = halfWidth > 0 ? Math.ceil((values[i]! / 2 - min / 2) / halfWidth) - 1 : 0;
    bucket[Math.min(k - 1, Math.max(0, at))]!++;
  }
  return { min, max, num: values.length, sum, sumSquares, bucketLimit, bucket };
}
