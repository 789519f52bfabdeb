/**
 * `effrank rank FILE`: the ε-rank and every measure of `rankReport` for a
 * feature matrix saved by another tool (.npy, .npz with --key, .safetensors
 * with --tensor, CSV/TSV/whitespace text, raw .f32/.f64 with --shape). Rows
 * are sample points N, columns neurons n.
 *
 * Files up to --stream-above bytes (default 64 MiB, env EFFRANK_STREAM_ABOVE)
 * are loaded whole and measured from the SVD; larger ones stream in row
 * chunks through a float64 GramAccumulator and are measured from its
 * eigenvalues. The output says which path was taken.
 *
 * Any failure (missing or malformed file, bad weights, non-finite values)
 * prints ONE line `effrank: CODE: FILE: problem` on stderr and exits with 2.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';

import { isEffrankError } from '../core/errors.js';
import { type RankReport, rankReportAsync } from '../rank/report.js';
import { parseShape } from '../io/raw.js';
import { DEFAULT_CHUNK_BYTES, DEFAULT_STREAM_ABOVE, FEATURE_FORMATS, type FeatureFile, type FeatureFormat, readFeatures } from '../io/read-features.js';

/** Where the command writes, and how it reports its exit code (injectable for tests). */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
  exit(code: number): void;
}

export const processIo: CommandIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  exit: (code) => void (process.exitCode = code),
};

export interface RankCommandOptions {
  eps?: number[];
  relative?: boolean;
  center?: boolean;
  weights?: string;
  weightsFormat?: FeatureFormat;
  scale?: number;
  method: 'auto' | 'eigen' | 'svd';
  energy: number;
  format?: FeatureFormat;
  key?: string;
  tensor?: string;
  shape?: [number, number];
  header?: boolean;
  json?: boolean;
  eigenvalues?: boolean;
  streamAbove: number;
  chunkBytes: number;
}

function positive(value: string): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x) || x <= 0) throw new InvalidArgumentError('expected a number > 0');
  return x;
}

function collectPositive(value: string, previous: number[] | undefined): number[] {
  return [...(previous ?? []), positive(value)];
}

function energy(value: string): number {
  const x = positive(value);
  if (x > 1) throw new InvalidArgumentError('expected a number in (0, 1]');
  return x;
}

/** "64M", "1.5G", "65536", "16KiB" → bytes. */
export function parseSize(value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(value);
  if (!m) throw new InvalidArgumentError('expected a size in bytes, e.g. 65536, 64M or 1G');
  const power = ' kmgt'.indexOf((m[2] || ' ').toLowerCase());
  return Math.floor(Number(m[1]) * 1024 ** power);
}

function shape(value: string): [number, number] {
  try {
    return parseShape(value);
  } catch {
    throw new InvalidArgumentError('expected N,n (positive integers; N may be -1 to infer it)');
  }
}

function fmt(x: number): string {
  if (Number.isInteger(x)) return String(x);
  return Number.isFinite(x) ? String(Number(x.toPrecision(6))) : String(x);
}

interface Result {
  file: FeatureFile;
  report: RankReport;
  eps: number[];
  o: RankCommandOptions;
}

function toJson({ file: f, report: r, eps, o }: Result): Record<string, unknown> {
  const counts = Array.isArray(r.epsRank) ? r.epsRank : [r.epsRank];
  return {
    file: f.file,
    format: f.format,
    member: f.member,
    N: r.N,
    n: r.n,
    dtype: f.storedDtype,
    fortranOrder: f.fortranOrder,
    path: r.method === 'svd' ? 'svd' : 'gram',
    computeDtype: r.dtype,
    streamed: f.streamed,
    chunks: f.chunks,
    weights: o.weights ?? null,
    center: o.center ?? false,
    scale: o.scale ?? 1,
    relative: o.relative ?? false,
    eps,
    epsRank: counts,
    numericalRank: r.numericalRank,
    entropyRank: r.entropyRank,
    stableRank: r.stableRank,
    participationRatio: r.participationRatio,
    approximateRank: r.approximateRank,
    energy: o.energy,
    lambdaMax: r.lambdaMax,
    ...(o.eigenvalues ? { eigenvalues: Array.from(r.eigenvalues) } : {}),
  };
}

function toTable({ file: f, report: r, eps, o }: Result): string {
  const counts = Array.isArray(r.epsRank) ? r.epsRank : [r.epsRank];
  const how = r.method === 'svd'
    ? `svd, ${r.dtype} (loaded whole)`
    : `gram, ${r.dtype} eigenvalues (${f.streamed ? `streamed in ${f.chunks} chunk${f.chunks === 1 ? '' : 's'}` : 'loaded whole'})`;
  const extras = [o.weights ? `weights ${o.weights}` : '', o.center ? 'centered' : '', o.scale !== undefined ? `scale ${fmt(o.scale)}` : ''].filter(Boolean);
  const rows: [string, string][] = [
    ['file', f.file],
    ...(f.member === null ? [] : [[f.format === 'npz' ? 'array' : 'tensor', f.member] as [string, string]]),
    ['matrix', `N=${r.N} × n=${r.n}, ${f.storedDtype}${f.fortranOrder ? ', Fortran order' : ''}`],
    ['path', how],
    ...(extras.length ? [['options', extras.join(', ')] as [string, string]] : []),
    ...eps.map((e, i): [string, string] => [`ε-rank ε=${fmt(e)}${o.relative ? '·λ_max' : ''}`, String(counts[i])]),
    ['numerical rank', String(r.numericalRank)],
    ['entropy rank', fmt(r.entropyRank)],
    ['stable rank', fmt(r.stableRank)],
    ['participation ratio', fmt(r.participationRatio)],
    [`approximate rank`, `${r.approximateRank} (${fmt(o.energy * 100)}% energy)`],
    ['λ_max', fmt(r.lambdaMax)],
    ...(o.eigenvalues ? [['eigenvalues', Array.from(r.eigenvalues, fmt).join(' ')] as [string, string]] : []),
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n') + '\n';
}

/** The rank command's work, without commander: returns the exit code. */
export async function rankFile(file: string, o: RankCommandOptions, io: CommandIo): Promise<number> {
  try {
    const eps = o.eps && o.eps.length > 0 ? o.eps : [1e-3];
    const f = await readFeatures(file, {
      format: o.format,
      key: o.key,
      tensor: o.tensor,
      shape: o.shape,
      header: o.header ?? 'auto',
      weights: o.weights,
      weightsFormat: o.weightsFormat,
      // The SVD needs the matrix itself.
      mode: o.method === 'svd' ? 'memory' : 'auto',
      streamAbove: o.streamAbove,
      chunkBytes: o.chunkBytes,
    });
    const report = await rankReportAsync(f.features, {
      eps,
      relative: o.relative ?? false,
      center: o.center ?? false,
      scale: o.scale,
      weights: f.weights,
      method: o.method,
      energy: o.energy,
    });
    const result = { file: f, report, eps, o };
    io.out(o.json ? `${JSON.stringify(toJson(result))}\n` : toTable(result));
    return 0;
  } catch (e) {
    io.err(`${errorLine(e, [file, o.weights])}\n`);
    return 2;
  }
}

/** One line, naming a file: `effrank: CODE: FILE: problem`. */
export function errorLine(e: unknown, files: (string | undefined)[]): string {
  const code = isEffrankError(e) ? e.code : 'ERR_INTERNAL';
  let message = e instanceof Error ? e.message : String(e);
  if (!files.some((f) => f !== undefined && message.startsWith(f))) message = `${files[0]}: ${message}`;
  return `effrank: ${code}: ${message.replace(/\s*[\r\n]+\s*/g, ' ')}`;
}

/** Adds `rank <file>` to a commander program (the `effrank` CLI or a test harness). */
export function registerRankCommand(program: Command, io: CommandIo = processIo): Command {
  return program
    .command('rank')
    .description('ε-rank and the other rank measures of a feature matrix file (rows = sample points, columns = neurons)')
    .argument('<file>', 'features: .npy, .npz, .safetensors, .csv, .tsv, .txt (whitespace), or raw little-endian .f32/.f64 with --shape')
    .option('--eps <eps>', 'threshold ε, repeatable (default 1e-3)', collectPositive)
    .option('--relative', 'ε relative to λ_max')
    .option('--center', 'subtract the (weighted) column means first')
    .option('--weights <file>', 'quadrature weights, one per row (same formats: 1-D .npy, one-column text, raw)')
    .addOption(new Option('--weights-format <format>', 'format of the weights file (default: from its extension)').choices(FEATURE_FORMATS))
    .option('--scale <s>', 'scalar factor on the Gram matrix (e.g. the domain measure)', positive)
    .addOption(new Option('--method <method>', 'auto: SVD when loaded whole, float64 Gram when streamed; eigen: always the Gram; svd: always load whole').choices(['auto', 'eigen', 'svd']).default('auto'))
    .option('--energy <e>', 'energy for the approximate rank', energy, 0.99)
    .addOption(new Option('--format <format>', 'file format (default: from the extension)').choices(FEATURE_FORMATS))
    .option('--key <name>', '.npz: the array to read (default: the only one)')
    .option('--tensor <name>', '.safetensors: the tensor to read (default: the only 2-D one)')
    .option('--shape <N,n>', 'shape of a raw .f32/.f64 file (N may be -1)', shape)
    .option('--header', 'text files: the first row is column names (default: detected)')
    .option('--no-header', 'text files: there is no header row')
    .option('--json', 'one JSON object instead of the table')
    .option('--eigenvalues', 'also print the eigenvalues of M, descending')
    .addOption(new Option('--stream-above <bytes>', 'stream files larger than this through a float64 Gram (e.g. 64M)').env('EFFRANK_STREAM_ABOVE').argParser(parseSize).default(DEFAULT_STREAM_ABOVE, '64M'))
    .addOption(new Option('--chunk-bytes <bytes>', 'bytes per streamed chunk').env('EFFRANK_CHUNK_BYTES').argParser(parseSize).default(DEFAULT_CHUNK_BYTES).hideHelp())
    .action(async (file: string, o: RankCommandOptions) => {
      const code = await rankFile(file, o, io);
      if (code !== 0) io.exit(code);
    });
}

/**
 * Runs `effrank rank …args` in-process (for tests and embedding): output and
 * the exit code go through `io`; usage errors exit with 2, as in the CLI.
 */
export async function runRank(args: string[], io: CommandIo = processIo): Promise<number> {
  let code = 0;
  const tracked: CommandIo = { ...io, exit: (c) => void ((code = c), io.exit(c)) };
  const program = new Command()
    .name('effrank')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  registerRankCommand(program, tracked);
  try {
    await program.parseAsync(['rank', ...args], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      code = e.exitCode === 0 ? 0 : 2;
      if (code !== 0) io.exit(code);
    } else throw e;
  }
  return code;
}
