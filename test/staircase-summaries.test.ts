/**
 * Where staircases are put into words: the CLI summary (formatSummary) and
 * the report's summary table say "falling" where the rank falls.
 */
import { describe, expect, it } from 'vitest';

import { detectStaircase } from '../src/analysis/staircase.js';
import { formatSummary } from '../src/cli/summary.js';
import { renderReport } from '../src/report/index.js';
import type { RankRecord } from '../src/tfjs/options.js';
import type { RunResult } from '../src/train/run.js';

function records(ranks: number[]): RankRecord[] {
  return ranks.map((rank, i) => ({
    step: 10 * i, epoch: 10 * i, loss: 1 / (i + 1), layer: 'conv', n: 200, N: 256,
    epsRank: { '0.001': rank }, lambdaMax: 4, method: 'gram-host', resolved: true, ms: 1, skipped: 0,
  }));
}

const falling = [142, 142, 142, 120, 120, 120, 95, 95, 95, 67, 67, 67];
const mixed = [5, 5, 5, 9, 9, 9, 6, 6, 6];

describe('summaries of falling staircases', () => {
  it('the CLI summary says falling, and lists the jumps down', () => {
    const recs = records(falling);
    const run = {
      options: { eps: [1e-3] }, backend: 'cpu', records: recs, losses: recs.map((r) => r.loss!), layers: ['conv'], lastLayer: 'conv',
      staircase: { conv: { '0.001': detectStaircase(recs.map((r) => ({ step: r.step, rank: r.epsRank['0.001']!, loss: r.loss }))) } },
      seconds: 1, pretrainLoss: null,
    } as unknown as RunResult;
    const text = formatSummary(run);
    expect(text).toContain('4 stairs, 3 jumps, falling, not monotone');
    expect(text).toContain('142→120@30 120→95@60 95→67@90');
    expect(text).toContain('conv   142 → 67');
  });

  it('the report table says falling, or the phases of a mixed series', () => {
    const html = renderReport([...records(falling), ...records(mixed).map((r) => ({ ...r, layer: 'dense' }))]);
    const row = (layer: string) => html.match(new RegExp(`<tr data-layer="${layer}"[^]*?</tr>`))![0];
    expect(row('conv')).toContain('<td class="trend" data-value="falling">falling</td>');
    expect(row('conv')).toContain('<td class="monotone">no</td>');
    expect(row('conv')).toContain('<span class="down">30 (142→120)</span>');
    expect(row('dense')).toContain('<td class="trend" data-value="mixed">rising, then falling</td>');
  });
});
