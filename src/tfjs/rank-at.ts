/**
 * Looking up a record's ε-rank by ε. Records key their counts by String(ε)
 * of the ε the tracker was given, so 1e-6 is stored as '0.000001' and 1e-7
 * as '1e-7'; rankAt compares the numbers, so any spelling finds the count.
 */
import { invalidArgument } from '../core/errors.js';
import { describe } from '../core/matrix.js';

/** The key a record uses for `eps`: String(Number(eps)), the shortest round-trip spelling. */
export function epsKey(eps: number | string): string {
  const value = typeof eps === 'string' ? Number(eps) : eps;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || (typeof eps === 'string' && eps.trim() === '')) {
    throw invalidArgument(`eps must be a finite number > 0 (or its decimal string), got ${describe(eps)}`);
  }
  return String(value);
}

/**
 * The ε-rank count of `record` at `eps` (a number or a string such as '1e-6'),
 * or undefined when the record was not measured at that ε.
 */
export function rankAt(record: { epsRank: Record<string, number> }, eps: number | string): number | undefined {
  if (record === null || typeof record !== 'object' || record.epsRank === null || typeof record.epsRank !== 'object') {
    throw invalidArgument(`rankAt: record must be a RankRecord with an epsRank object, got ${describe(record)}`);
  }
  const key = epsKey(eps);
  if (Object.hasOwn(record.epsRank, key)) return record.epsRank[key];
  // Logs written by other tools may spell ε differently ('1e-6'): compare the numbers.
  for (const [k, count] of Object.entries(record.epsRank)) {
    if (Number(k) === Number(key)) return count;
  }
  return undefined;
}
