/** Number of entries > t in a descending array, by binary search. */
export function countAbove(sortedDesc: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = sortedDesc.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sortedDesc[mid]! > t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
