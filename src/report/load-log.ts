/**
 * Reads a RankTracker JSON Lines log (one RankRecord per line) and checks
 * every field the report uses, naming the line of the first bad record.
 */

import { EffrankError, invalidArgument } from '../core/errors.js';
import { readOptions } from '../core/options.js';
import { readRegularFileText } from '../io/binary.js';
import type { RankRecord } from '../tfjs/options.js';

const METHODS = ['gram-host', 'gram-device', 'svd'];

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)?.slice(0, 40)}`;
}

/**
 * Checks one parsed line. `where` is used in messages ("line 3"). Returns the
 * value typed as a RankRecord; unknown extra fields are kept.
 */
export function validateRecord(value: unknown, where: string): RankRecord {
  const bad = (what: string) => invalidArgument(`${where}: ${what}`);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad(`expected a JSON object (a rank record), got ${kind(value)}`);
  const r = value as Record<string, unknown>;
  const finite = (name: string, opts: { min?: number; integer?: boolean; optional?: boolean } = {}) => {
    const v = r[name];
    if (v === undefined) {
      if (opts.optional) return;
      throw bad(`missing field "${name}"`);
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(`"${name}" must be a finite number, got ${kind(v)}`);
    if (opts.integer && !Number.isInteger(v)) throw bad(`"${name}" must be an integer, got ${v}`);
    if (opts.min !== undefined && v < opts.min) throw bad(`"${name}" must be ≥ ${opts.min}, got ${v}`);
  };
  finite('step', { min: 0 });
  finite('epoch', { min: 0 });
  finite('batch', { optional: true });
  if (!('loss' in r)) throw bad('missing field "loss" (null when not recorded)');
  if (r.loss !== null && (typeof r.loss !== 'number' || !Number.isFinite(r.loss))) throw bad(`"loss" must be a finite number or null, got ${kind(r.loss)}`);
  if (typeof r.layer !== 'string' || r.layer === '') throw bad(r.layer === undefined ? 'missing field "layer"' : `"layer" must be a non-empty string, got ${kind(r.layer)}`);
  finite('n', { min: 1, integer: true });
  finite('N', { min: 1, integer: true });
  const eps = r.epsRank;
  if (eps === undefined) throw bad('missing field "epsRank"');
  if (eps === null || typeof eps !== 'object' || Array.isArray(eps)) throw bad(`"epsRank" must be an object like {"0.001": 17}, got ${kind(eps)}`);
  const entries = Object.entries(eps as Record<string, unknown>);
  if (entries.length === 0) throw bad('"epsRank" is empty');
  for (const [k, v] of entries) {
    const e = Number(k);
    if (k.trim() === '' || !Number.isFinite(e) || e <= 0) throw bad(`"epsRank" key ${JSON.stringify(k)} is not an ε > 0`);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw bad(`epsRank["${k}"] must be a count (integer ≥ 0), got ${kind(v)}`);
  }
  // null: the counts came from inertia, without eigenvalues.
  if (r.lambdaMax !== null) finite('lambdaMax');
  if (r.method !== undefined && !METHODS.includes(r.method as string)) throw bad(`"method" must be one of ${METHODS.join(', ')}, got ${kind(r.method)}`);
  for (const name of ['ms', 'skipped', 'numericalRank', 'entropyRank', 'stableRank', 'participationRatio', 'approximateRank']) {
    finite(name, { optional: true });
  }
  if (r.eigenvalues !== undefined) {
    if (!Array.isArray(r.eigenvalues)) throw bad(`"eigenvalues" must be an array of numbers, got ${kind(r.eigenvalues)}`);
    // JSON writes NaN as null: accepted, and drawn as a gap.
    const i = r.eigenvalues.findIndex((v) => v !== null && (typeof v !== 'number' || !Number.isFinite(v)));
    if (i >= 0) throw bad(`eigenvalues[${i}] must be a number, got ${kind(r.eigenvalues[i])}`);
  }
  return r as unknown as RankRecord;
}

export interface LoadLogOptions {
  /**
   * Receives a message for each line skipped: only a cut-off last line (no
   * newline after it, not valid JSON), which a run killed mid-write leaves.
   * Default: process.emitWarning.
   */
  onWarning?: (message: string) => void;
}

function warningHandler(options: LoadLogOptions | undefined, fn: string): (message: string) => void {
  const { onWarning } = readOptions(options, fn, ['onWarning']);
  if (onWarning !== undefined && typeof onWarning !== 'function') throw invalidArgument(`${fn}: onWarning must be a function`);
  return onWarning ?? ((message) => process.emitWarning(message, 'EffrankWarning'));
}

/**
 * Parses JSON Lines text: one record per non-blank line. `source` names the
 * file in error messages. Throws ERR_INVALID_ARGUMENT naming the line; the
 * one exception is a cut-off last line (see LoadLogOptions.onWarning), which
 * is skipped with a warning so the records before it are still read.
 */
export function parseLog(textIn: string, source = 'log', options?: LoadLogOptions): RankRecord[] {
  const warn = warningHandler(options, 'parseLog');
  const text = textIn.replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/);
  // The line a killed writer left: the last one, not terminated by a newline.
  const cutOff = text.endsWith('\n') ? -1 : lines.length - 1;
  const records: RankRecord[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${source} line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      const snippet = line.length > 40 ? `${line.slice(0, 40)}…` : line;
      if (i === cutOff && records.length > 0) {
        warn(`${where} is cut off (no newline, not valid JSON: ${snippet}), probably by a run that was killed while writing; skipped it and read the ${records.length} records before it`);
        return;
      }
      throw invalidArgument(`${where}: not valid JSON (${(e as Error).message.split('\n')[0]}): ${snippet}`);
    }
    records.push(validateRecord(value, where));
  });
  if (records.length === 0) throw invalidArgument(`${source}: no records (the log is empty)`);
  return records;
}

/** Reads and parses a JSONL log file (see parseLog). */
export function loadLog(path: string, options?: LoadLogOptions): RankRecord[] {
  warningHandler(options, 'loadLog');
  let content: string;
  try {
    content = readRegularFileText(path); // a FIFO or a device would block or never end
  } catch (e) {
    throw invalidArgument(`cannot read ${path}: ${e instanceof EffrankError ? e.message.replace(`${path}: `, '') : String(e)}`);
  }
  return parseLog(content, path, options);
}
