// Peak memory of epsRank on 10000×1024 features: whole-process peak RSS
// during the call minus the RSS holding the input, each variant in a fresh
// `node --expose-gc` child (lib/peak-rss-child.js). Linux only.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const CHILD = join(HERE, 'lib', 'peak-rss-child.js');

const N = 10000;
const n = 1024;
const SEED = 501; // the epsrank family's matrix
const LAMBDA_MAX = 5774.303319285522; // of that matrix's AᵀA (see epsrank.bench.js)
const MB = 1e6;
// Three n×n float64 matrices' worth of work space, plus 16 MB of slack.
const BUDGET = 3 * n * n * 8 + 16 * MB;

const VARIANTS = [
  { name: 'float32, default (ε=1e-3·λmax)', dtype: 'float32', rel: 1e-3, target: true },
  { name: 'float32, default (ε=1e-2·λmax)', dtype: 'float32', rel: 1e-2, target: true },
  { name: 'float64, default (ε=1e-3·λmax)', dtype: 'float64', rel: 1e-3 },
  { name: "float32, method 'svd'", dtype: 'float32', rel: 1e-3, method: 'svd' },
];

// Wide features (a conv layer's units on a small probe): the dual route must
// not allocate any n×n matrix (one would be n²·8 B = 537 MB here).
const WIDE = { rows: 512, cols: 8192, dtype: 'float32', seed: 502, eps: 1e-3, scale: 1 / 512 };
const WIDE_BUDGET = WIDE.rows * WIDE.cols * 4 + 3 * WIDE.rows * WIDE.rows * 8 + 16 * MB;

/** Runs the child once; resolves to its JSON line. */
function peakOf(spec) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', CHILD, JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        const r = JSON.parse(out.trim().split('\n').pop());
        if (r.error) reject(new Error(r.error.split('\n')[0]));
        else resolve(r);
      } catch {
        reject(new Error(`peak-rss-child exited ${code}: ${(err || out).trim().slice(-400)}`));
      }
    });
  });
}

const mb = (bytes) => `${(bytes / MB).toFixed(1)} MB`;

export const cases = [
  {
    id: 'eps-rank-peak-memory-10000x1024',
    label: 'epsRank peak memory 10000×1024',
    size: `${N}×${n}, peak RSS − RSS with the input`,
    run: async (_fx, { log }) => {
      if (process.platform !== 'linux') throw new Error('needs Linux (/proc/self/status, /proc/self/clear_refs)');
      const metrics = [];
      const details = [];
      for (const v of VARIANTS) {
        log(`memory: ${v.name}`);
        const spec = { rows: N, cols: n, dtype: v.dtype, seed: SEED, eps: v.rel * LAMBDA_MAX, ...(v.method ? { method: v.method } : {}) };
        try {
          const r = await peakOf(spec);
          details.push({ variant: v.name, ...r });
          const { first, second } = r; // details keep both calls' raw numbers
          const method = first.result.method;
          const metric = {
            name: `${v.name} → ${method}`,
            value: first.delta / MB,
            unit: 'MB',
            text: mb(first.delta),
            ref: { name: 'budget 3n²·8 B + 16 MB', value: BUDGET / MB, text: `budget ${mb(BUDGET)}` },
            ratio: first.delta / BUDGET,
            repeatedCallMB: second.delta / MB,
          };
          if (!first.reset) metric.error = 'VmHWM could not be reset (needs write access to /proc/self/clear_refs)';
          else if (v.target) metric.target = { text: `≤ ${mb(BUDGET)}`, pass: first.delta <= BUDGET, show: mb(first.delta) };
          metrics.push(metric);
        } catch (e) {
          metrics.push({ name: v.name, error: String(e?.message ?? e) });
        }
      }
      log('memory: wide 512×8192 float32');
      try {
        const r = await peakOf(WIDE);
        details.push({ variant: 'wide 512×8192', ...r });
        const nn = WIDE.cols * WIDE.cols * 8;
        metrics.push({
          name: `wide 512×8192 float32 (ε=1e-3, scale 1/512) → ${r.first.result.method}`,
          value: r.first.delta / MB,
          unit: 'MB',
          text: mb(r.first.delta),
          ref: { name: 'budget N·n·4 + 3N²·8 B + 16 MB', value: WIDE_BUDGET / MB, text: `budget ${mb(WIDE_BUDGET)} (one n×n float64: ${mb(nn)})` },
          ratio: r.first.delta / WIDE_BUDGET,
          repeatedCallMB: r.second.delta / MB,
          target: { text: `≤ ${mb(WIDE_BUDGET)}, no n×n matrix`, pass: r.first.delta <= WIDE_BUDGET, show: mb(r.first.delta) },
        });
      } catch (e) {
        metrics.push({ name: 'wide 512×8192', error: String(e?.message ?? e) });
      }
      const notes = details.map(
        (d) =>
          `${d.variant}: input ${mb(d.inputBytes)}, RSS with input ${mb(d.first.baseline)}; first call +${mb(d.first.delta)} ` +
          `(${d.first.ms.toFixed(0)} ms), repeated call +${mb(d.second.delta)} (the first call's freed pages stay with the process)`,
      );
      return { metrics, notes, details };
    },
  },
];
