/**
 * Charts that must be comparable: compare.html draws every setup on shared
 * axes, and spectrum charts of wide layers draw every eigenvalue near ε.
 */
import { describe, expect, it } from 'vitest';

import { renderComparison, sharedDomains } from '../src/cli/compare-report.js';
import type { ComparisonRow, Setup } from '../src/cli/compare-command.js';
import { renderCharts, renderStaircaseSvg } from '../src/report/index.js';
import type { RankRecord } from '../src/tfjs/options.js';
import type { RunResult } from '../src/train/run.js';
import { expectCode } from './helpers/expect.js';

function record(step: number, rank: number, loss: number | null, extra: Partial<RankRecord> = {}): RankRecord {
  return { step, epoch: step, loss, layer: 'h3', n: 20, N: 64, epsRank: { '0.001': rank }, lambdaMax: 1, method: 'gram-host', resolved: true, ms: 1, skipped: 0, ...extra };
}

/** A run whose ε-rank climbs from `from` to `to` over `steps` measurements, loss from `loss0` down. */
function run(from: number, to: number, steps: number, loss0: number): RunResult {
  const records = Array.from({ length: steps }, (_, i) => record(10 * i, Math.round(from + ((to - from) * i) / (steps - 1)), loss0 * 0.8 ** i));
  return {
    options: { task: 'sin1d', points: 64, epochs: 10 * (steps - 1), width: 20, depth: 3, activation: 'tanh', optimizer: 'adam', lr: 1e-3, eps: [1e-3], seed: 1, init: 'default', pretrainSteps: 0, every: 10 },
    backend: 'cpu', records, losses: [], layers: ['h3'], lastLayer: 'h3', staircase: {}, seconds: 1, pretrainLoss: null,
  };
}

const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

describe('compare.html', () => {
  const setups: Setup[] = [
    { name: 'adam', describe: 'a', apply: (o) => o },
    { name: 'sgd', describe: 'b', apply: (o) => o },
  ];
  const results = [{ setup: setups[0]!, result: run(12, 17, 11, 0.5) }, { setup: setups[1]!, result: run(0, 20, 21, 0.05) }];
  const rows = results.map(({ setup }): ComparisonRow => ({ setup: setup.name, describe: setup.describe, epochsToLoss: null, epochsToRank: null, finalLoss: 1, stairs: 1, finalRank: 1, firstLayerRankAtStart: 1, seconds: 1 }));

  it('shares the union of the panels\' ranges', () => {
    expect(sharedDomains(results, 1e-3)).toEqual({ steps: [0, 200], rank: [0, 20], loss: [0.05 * 0.8 ** 20, 0.5] });
  });

  it('draws every setup on the same axes: their axis labels are identical, ranks 0–20 and steps 0–200 on each', () => {
    const html = renderComparison(results, rows, { targetLoss: 0.01, targetRank: 15, eps: 1e-3 });
    const panels = [...html.matchAll(/<figure data-setup="([^"]+)">([\s\S]*?)<\/figure>/g)];
    expect(panels.map((p) => p[1])).toEqual(['adam', 'sgd']);
    const [a, b] = panels.map((p) => texts(p[2]!));
    expect(a).toEqual(b);
    expect(a).toEqual(expect.arrayContaining(['0', '20', '200']));
    // Without shared axes the first panel would span only its own 12–17.
    const alone = texts(renderStaircaseSvg(results[0]!.result.records, { eps: 1e-3 }));
    expect(alone).toContain('17');
    expect(alone).not.toContain('200');
    expect(a).not.toContain('17');
  });

  it('rejects bad domains', () => {
    const recs = results[0]!.result.records;
    expectCode(() => renderStaircaseSvg(recs, { domains: { rank: [5, 1] } }), 'ERR_INVALID_ARGUMENT');
    expectCode(() => renderStaircaseSvg(recs, { domains: { loss: [0, 1] } }), 'ERR_INVALID_ARGUMENT');
    expectCode(() => renderStaircaseSvg(recs, { domains: { steps: [0, NaN] } }), 'ERR_INVALID_ARGUMENT');
    expect(expectCode(() => renderStaircaseSvg(recs, { domains: { rnak: [0, 1] } as never }), 'ERR_INVALID_ARGUMENT').message).toMatch(/did you mean 'rank'/);
  });
});

describe('spectrum charts of wide layers', () => {
  it('draw every eigenvalue within a factor 10 of ε, at any step, and fewer than all n', () => {
    const n = 600;
    // Eigenvalues 10^(−12·i/n), drifting up by a factor 4 over the run: ε = 1e-3 crosses near index 150.
    const records = Array.from({ length: 6 }, (_, s) => {
      const eigenvalues = Array.from({ length: n }, (_, i) => 10 ** ((-12 * i) / n) * 4 ** (s / 5));
      return record(s, eigenvalues.filter((v) => v > 1e-3).length, 1 / (s + 1), { n, eigenvalues, lambdaMax: eigenvalues[0]! });
    });
    const chart = renderCharts(records).find((c) => c.kind === 'spectrum')!;
    const drawn = new Set([...chart.svg.matchAll(/class="eigenvalue" data-index="(\d+)"/g)].map((m) => Number(m[1]) - 1));
    const near = new Set<number>();
    for (const r of records) r.eigenvalues!.forEach((v, i) => v >= 1e-4 && v <= 1e-2 && near.add(i));
    expect(near.size).toBeGreaterThan(100);
    for (const i of near) expect(drawn.has(i), `λ${i + 1}`).toBe(true);
    for (let i = 0; i < 32; i++) expect(drawn.has(i)).toBe(true);
    expect(drawn.size).toBeLessThan(n);
    expect(chart.caption).toMatch(new RegExp(`${drawn.size} of the ${n} indices are drawn: every eigenvalue that comes within a factor 10 of ε`));
  });

  it('draw every index when there are at most 128', () => {
    const eigenvalues = Array.from({ length: 100 }, (_, i) => 10 ** (-i / 10));
    const chart = renderCharts([record(0, 31, 1, { n: 100, eigenvalues })]).find((c) => c.kind === 'spectrum')!;
    expect(chart.svg.match(/class="eigenvalue"/g)).toHaveLength(100);
  });
});
