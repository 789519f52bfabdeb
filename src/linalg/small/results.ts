/**
 * Result arrays for the small-matrix path. V8 keeps typed arrays of up to 64
 * bytes on its heap; a larger one gets its own off-heap ArrayBuffer, which
 * costs 0.3–1 µs to create and collect — more than a whole 3×3 SVD. So
 * results of 65 bytes to 4 KiB are views into a shared 64 KiB slab, the way
 * Node's Buffer pool works: each result owns its range, but `.buffer` is the
 * slab (copy with `.slice()` before transferring a buffer to a worker).
 */
import type { FloatArray } from '../../core/matrix.js';

const SLAB_BYTES = 64 * 1024;
const IN_HEAP_BYTES = 64;
const POOLED_BYTES = 4096;

/** A bump allocator of zeroed arrays over 64 KiB slabs (a slot is never reused; a full slab is left to the GC). */
function slabAllocator(): (float32: boolean, length: number) => FloatArray {
  let slab = new ArrayBuffer(0);
  let used = 0;
  return (float32, length) => {
    const bytes = length * (float32 ? 4 : 8);
    if (bytes <= IN_HEAP_BYTES || bytes > POOLED_BYTES) return float32 ? new Float32Array(length) : new Float64Array(length);
    if (used + bytes > slab.byteLength) {
      slab = new ArrayBuffer(SLAB_BYTES);
      used = 0;
    }
    const out = float32 ? new Float32Array(slab, used, length) : new Float64Array(slab, used, length);
    used += (bytes + 7) & ~7; // keep every view 8-byte aligned
    return out;
  };
}

/** A new float32 or float64 array of `length` zeros (slab-backed when small): for results handed to users. */
export const resultArray = slabAllocator();

/**
 * The same, from slabs that no user-visible array shares: for state kept inside
 * an object (an adapter's factors), which a user's transfer of some result's
 * `.buffer` must not be able to detach.
 */
export const privateArray = slabAllocator();
