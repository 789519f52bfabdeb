/**
 * effrank report: the JSONL loader, the charts (well-formed SVG that resvg
 * renders), the self-contained HTML page, the PNGs, edge cases and the CLI
 * command, from test/fixtures/run-small.jsonl (2 layers, 2 ε, 61 epochs).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { registerReportCommand } from '../src/cli/report-command.js';
import { EffrankError } from '../src/core/errors.js';
import { loadLog, logTicks, parseLog, renderCharts, renderReport, renderStaircaseSvg, writeReport, linearTicks, downsampleIndices, buildReportData } from '../src/report/index.js';
import { knownFontFiles, rasterize } from '../src/report/png.js';
import { detectStaircase } from '../src/analysis/staircase.js';
import type { RankRecord } from '../src/tfjs/options.js';
import { PNG_SIGNATURE, countNonBackground, decodePng } from './helpers-report/png.js';
import { syntheticRun, toJsonl } from './helpers-report/synthetic.js';
import { checkWellFormedXml } from './helpers-report/xml.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/run-small.jsonl', import.meta.url));
const records = loadLog(FIXTURE);
const LAYERS = ['dense_1', 'dense_2'];
const EPS = ['0.001', '0.000001'];
const CHART_KINDS = ['rank', 'spectrum'];
const tmp = mkdtempSync(join(tmpdir(), 'effrank-report-'));

function layerRecords(rs: readonly RankRecord[], layer: string): RankRecord[] {
  return rs.filter((r) => r.layer === layer).sort((a, b) => a.step - b.step);
}

function staircaseOf(rs: readonly RankRecord[], layer: string, eps: string) {
  return detectStaircase(layerRecords(rs, layer).map((r) => ({ step: r.step, rank: r.epsRank[eps]!, loss: r.loss })));
}

/** Every `<svg …>…</svg>` of a page (they do not nest here). */
function svgsOf(html: string): string[] {
  return [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => m[0]);
}

function count(haystack: string, re: RegExp): number {
  return [...haystack.matchAll(re)].length;
}

function codeAndMessage(f: () => unknown): { code?: string; message: string } {
  try {
    f();
  } catch (e) {
    return { code: (e as EffrankError).code, message: (e as Error).message };
  }
  throw new Error('expected a throw');
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('fixture', () => {
  it('is syntheticRun() serialised, and looks like a tracker log', () => {
    const expected = toJsonl(syntheticRun());
    if (process.env.EFFRANK_WRITE_FIXTURE === '1') writeFileSync(FIXTURE, expected);
    expect(readFileSync(FIXTURE, 'utf8')).toBe(expected);
    expect(records).toHaveLength(122);
    expect([...new Set(records.map((r) => r.layer))]).toEqual(LAYERS);
    expect(records[0]!.loss).toBeNull();
    for (const r of records) {
      expect(Object.keys(r.epsRank)).toEqual(EPS);
      expect(r.eigenvalues).toHaveLength(r.n);
      // The counts are those of the recorded eigenvalues.
      for (const e of EPS) expect(r.epsRank[e]).toBe(r.eigenvalues!.filter((v) => v > Number(e)).length);
    }
    for (const layer of LAYERS) for (const e of EPS) expect(staircaseOf(records, layer, e).jumps.length).toBeGreaterThanOrEqual(4);
  });
});

describe('loading logs', () => {
  const good = JSON.stringify(records[0]);
  const cases: [string, string, RegExp][] = [
    ['not JSON', `${good}\n${good}\n{"step": 1, oops\n`, /line 3: not valid JSON/],
    ['a missing field', `${good}\n${JSON.stringify({ ...records[1], epsRank: undefined })}\n`, /line 2: missing field "epsRank"/],
    ['a missing loss', `${JSON.stringify({ ...records[1], loss: undefined })}\n`, /line 1: missing field "loss"/],
    ['a wrong type', `\n${JSON.stringify({ ...records[1], step: '3' })}\n`, /line 2: "step" must be a finite number/],
    ['a non-integer count', `${JSON.stringify({ ...records[1], epsRank: { '0.001': 2.5 } })}\n`, /line 1: epsRank\["0.001"\] must be a count/],
    ['a bad ε key', `${JSON.stringify({ ...records[1], epsRank: { abc: 2 } })}\n`, /line 1: "epsRank" key "abc"/],
    ['bad eigenvalues', `${JSON.stringify({ ...records[1], eigenvalues: [1, 'x'] })}\n`, /line 1: eigenvalues\[1\] must be a number/],
    ['an array line', `[1,2]\n`, /line 1: expected a JSON object/],
    ['no records', `\n\n`, /no records/],
  ];
  it.each(cases)('rejects %s with ERR_INVALID_ARGUMENT naming the line', (_, textIn, re) => {
    const { code, message } = codeAndMessage(() => parseLog(textIn, 'run.jsonl'));
    expect(code).toBe('ERR_INVALID_ARGUMENT');
    expect(message).toMatch(re);
    expect(message).not.toContain('\n');
  });

  it('skips blank lines, CRLF and a BOM, and names missing files', () => {
    expect(parseLog(`\uFEFF${good}\r\n\r\n${good}\r\n`)).toHaveLength(2);
    const { code, message } = codeAndMessage(() => loadLog(join(tmp, 'nope.jsonl')));
    expect(code).toBe('ERR_INVALID_ARGUMENT');
    expect(message).toMatch(/cannot read .*nope\.jsonl: no such file/);
  });

  it('validates records passed to the render functions too', () => {
    const bad = [{ ...records[0]!, layer: 7 }] as unknown as RankRecord[];
    expect(codeAndMessage(() => renderReport(bad)).message).toMatch(/records\[0\]: "layer" must be a non-empty string/);
    expect(codeAndMessage(() => renderReport([])).code).toBe('ERR_INVALID_ARGUMENT');
  });
});

describe('charts', () => {
  const charts = renderCharts(records);

  it('renders layers × kinds charts, named per layer, as well-formed SVG that resvg draws', () => {
    expect(charts.map((c) => c.name)).toEqual(LAYERS.flatMap((l) => CHART_KINDS.map((k) => `${l}-${k}`)));
    for (const c of charts) {
      expect(checkWellFormedXml(c.svg)).toBe('svg');
      expect(c.svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      const img = rasterize(c.svg, { scale: 1 });
      expect(img.width).toBe(900);
      // Lines, text and bands: far more than a blank canvas.
      expect(countNonBackground(img.pixels)).toBeGreaterThan(img.width * img.height * 0.02);
    }
  });

  it('draws exactly the stairs and jumps detectStaircase finds, per layer and ε', () => {
    for (const layer of LAYERS) {
      const svg = charts.find((c) => c.name === `${layer}-rank`)!.svg;
      for (const e of EPS) {
        const s = staircaseOf(records, layer, e);
        const attrs = `data-layer="${layer}" data-eps="${e}"`;
        expect(count(svg, new RegExp(`class="stair" ${attrs}`, 'g'))).toBe(s.stairs.length);
        expect(count(svg, new RegExp(`class="jump" ${attrs}`, 'g'))).toBe(s.jumps.length);
        for (const j of s.jumps) expect(svg).toContain(`${attrs} data-step="${j.step}"`);
      }
    }
  });

  it('puts log axes on powers of ten and counts on integer ticks', () => {
    for (const [lo, hi] of [[0.0103, 0.41], [3e-17, 0.6], [1e-3, 1e-3], [5, 7], [2e-300, 1e300], [-1, 0.5], [NaN, NaN]] as const) {
      const { exponents, domain } = logTicks(lo, hi);
      expect(exponents.length).toBeGreaterThanOrEqual(2);
      expect(exponents.length).toBeLessThanOrEqual(8);
      for (const e of exponents) expect(Number.isInteger(e)).toBe(true);
      expect(domain[0]).toBe(10 ** exponents[0]!);
      if (lo > 0) expect(domain[0]).toBeLessThanOrEqual(lo);
      if (hi > 0) expect(domain[1]).toBeGreaterThanOrEqual(hi);
    }
    for (const c of charts) {
      const logAxes = [...c.svg.matchAll(/<g class="axis axis-y left" data-scale="log">([\s\S]*?)<\/g>/g)];
      expect(logAxes).toHaveLength(1); // loss (rank chart) or λ (spectrum chart)
      const values = [...logAxes[0]![1]!.matchAll(/data-value="([^"]+)"/g)].map((m) => Number(m[1]));
      expect(values.length).toBeGreaterThanOrEqual(2);
      for (const v of values) expect(Math.log10(v)).toBeCloseTo(Math.round(Math.log10(v)), 9);
      expect(logAxes[0]![1]).toMatch(/>10⁻[⁰¹²³⁴⁵⁶⁷⁸⁹]+</);
    }
    const rankAxis = /<g class="axis axis-y left" data-scale="linear">([\s\S]*?)<\/g>/.exec(charts[0]!.svg)![1]!;
    for (const m of rankAxis.matchAll(/data-value="([^"]+)"/g)) expect(Number.isInteger(Number(m[1]))).toBe(true);
    expect(linearTicks(0, 60, { integer: true, ticks: 8 }).values).toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect(linearTicks(3, 3, { integer: true }).values).toEqual([2, 3, 4]);
  });

  it('draws ε on the spectrum chart, as a line at ε (absolute) or ε·λmax (relative, detected)', () => {
    const svg = charts.find((c) => c.name === 'dense_1-spectrum')!.svg;
    for (const e of EPS) expect(count(svg, new RegExp(`<line [^>]*class="eps-line" data-eps="${e}"`, 'g'))).toBe(1);
    expect(count(svg, /class="eigenvalue"/g)).toBe(16);
    // A log whose counts are relative to λmax: detected, drawn as a polyline following λmax.
    const rel = syntheticRun({ epochs: 12 }).map((r) => ({
      ...r,
      epsRank: { '0.01': r.eigenvalues!.filter((v) => v > 0.01 * r.lambdaMax!).length },
    }));
    const data = buildReportData(rel);
    expect(data.layers.every((l) => l.relative)).toBe(true);
    const relSvg = renderCharts(rel).find((c) => c.kind === 'spectrum')!.svg;
    expect(relSvg).toMatch(/<polyline [^>]*class="eps-line" data-eps="0.01"/);
    expect(relSvg).toContain('ε = 0.01·λmax');
    expect(buildReportData(rel, { relative: false }).layers[0]!.relative).toBe(false);
  });

  it('renders the compact staircase SVG (default: last layer, first ε)', () => {
    const svg = renderStaircaseSvg(records);
    checkWellFormedXml(svg);
    expect(svg).toContain('dense_2');
    expect(count(svg, /class="stair"/g)).toBe(staircaseOf(records, 'dense_2', '0.001').stairs.length);
    expect(count(svg, /class="jump"/g)).toBe(staircaseOf(records, 'dense_2', '0.001').jumps.length);
    const other = renderStaircaseSvg(records, { layer: 'dense_1', eps: 1e-6, width: 600, height: 260 });
    expect(other).toContain('width="600"');
    expect(count(other, /class="stair"/g)).toBe(staircaseOf(records, 'dense_1', '0.000001').stairs.length);
    expect(countNonBackground(rasterize(svg, { scale: 1 }).pixels)).toBeGreaterThan(5000);
    expect(codeAndMessage(() => renderStaircaseSvg(records, { layer: 'nope' })).message).toMatch(/no records for layer 'nope'.*dense_1, dense_2/);
    expect(codeAndMessage(() => renderStaircaseSvg(records, { eps: 0.5 })).code).toBe('ERR_INVALID_ARGUMENT');
  });
});

describe('the HTML page', () => {
  const html = renderReport(records, { source: 'run-small.jsonl' });

  it('is one self-contained file: inline SVG per chart, no scripts, no external references', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(count(html, /<svg\b/g)).toBe(LAYERS.length * CHART_KINDS.length);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link\b|<img\b|<iframe\b|<object\b|@import|url\(/i);
    expect(html).not.toMatch(/\s(src|href)\s*=/i);
    const urls = [...html.matchAll(/[a-z][a-z0-9+.-]*:\/\/[^\s"'<>)]*/gi)].map((m) => m[0]);
    expect(urls.length).toBeGreaterThan(0);
    for (const u of urls) expect(u).toBe('http://www.w3.org/2000/svg');
    expect(html).toContain(`Content-Security-Policy" content="default-src 'none'`);
    for (const svg of svgsOf(html)) checkWellFormedXml(svg);
  });

  it('summarises every layer and ε with the values of the log and detectStaircase', () => {
    const rows = [...html.matchAll(/<tr data-layer="([^"]+)" data-eps="([^"]+)">([\s\S]*?)<\/tr>/g)];
    expect(rows.map((r) => `${r[1]}/${r[2]}`)).toEqual(LAYERS.flatMap((l) => EPS.map((e) => `${l}/${e}`)));
    for (const [, layer, eps, row] of rows) {
      const last = layerRecords(records, layer!).at(-1)!;
      const s = staircaseOf(records, layer!, eps!);
      const value = (cls: string) => /data-value="([^"]*)"/.exec(new RegExp(`<td class="${cls}"[^>]*>`).exec(row!)![0])![1]!;
      expect(Number(value('final'))).toBe(last.epsRank[eps!]);
      expect(row).toContain(`<b>${last.epsRank[eps!]}</b>`);
      expect(Number(value('stairs'))).toBe(s.stairs.length);
      expect(Number(value('jump-count'))).toBe(s.jumps.length);
      expect(Number(value('spearman'))).toBeCloseTo(s.spearman!, 12);
      expect(Number(value('loss-drop'))).toBeCloseTo(s.lossDropAtJumps!, 12);
      expect(row).toContain(`−${Math.abs(s.spearman!).toFixed(2)}`);
      expect(row).toContain(`${Math.round(s.lossDropAtJumps! * 100)} %`);
      expect(row).toMatch(/<td class="monotone">yes<\/td>/);
      for (const j of s.jumps.slice(0, 8)) expect(row).toContain(`${j.step} (${j.from}→${j.to})`);
    }
    expect(html).toContain('122 records');
    expect(html).toContain('<code>run-small.jsonl</code>');
  });

  it('does not depend on the order of the records (interleaved layers, shuffled steps)', () => {
    const shuffled = [...records];
    let seed = 3;
    for (let i = shuffled.length - 1; i > 0; i--) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const j = seed % (i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    // Layers are ordered by first appearance: keep a dense_1 record first.
    const k = shuffled.findIndex((r) => r.layer === 'dense_1');
    shuffled.unshift(...shuffled.splice(k, 1));
    expect(shuffled.slice(0, 6).map((r) => r.step)).not.toEqual([0, 0, 1, 1, 2, 2]);
    expect(renderReport(shuffled, { source: 'run-small.jsonl' })).toBe(html);
  });

  it('escapes names and titles', () => {
    const weird = records.slice(0, 6).map((r) => ({ ...r, layer: r.layer === 'dense_1' ? 'a<b>&"c\'' : r.layer }));
    const page = renderReport(weird, { title: '<script>alert(1)</script> & co' });
    expect(page).not.toContain('<script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; co');
    expect(page).toContain('a&lt;b&gt;&amp;&quot;c&#39;');
    for (const svg of svgsOf(page)) checkWellFormedXml(svg);
    expect(renderCharts(weird).map((c) => c.name)).toEqual(['a_b_c-rank', 'a_b_c-spectrum', 'dense_2-rank', 'dense_2-spectrum']);
  });
});

describe('edge cases', () => {
  it('a single record: charts with dots, a note, no staircase statistics', () => {
    const one = [records[1]!];
    const html = renderReport(one);
    expect(count(html, /<svg\b/g)).toBe(2);
    expect(html).toContain('Only one measurement');
    expect(html).toContain('no positive loss recorded');
    for (const svg of svgsOf(html)) {
      checkWellFormedXml(svg);
      rasterize(svg, { scale: 1 });
    }
    expect(svgsOf(html)[0]).toMatch(/class="rank-point"/);
    expect(html).toMatch(/<td class="spearman" data-value="">—<\/td>/);
  });

  it('loss null or ≤ 0 is left off the log axis', () => {
    const rs = records.map((r) => (r.step === 5 ? { ...r, loss: 0 } : r.step === 9 ? { ...r, loss: -1 } : r));
    const svg = renderCharts(rs)[0]!.svg;
    // Steps 1–4, 6–8 and 10–60: three loss polylines.
    expect(count(svg, /<polyline [^>]*class="loss"/g)).toBe(3);
    expect(count(svg, /<circle [^>]*class="loss"/g)).toBe(0);
    const noLoss = renderCharts(records.map((r) => ({ ...r, loss: null })))[0]!.svg;
    expect(noLoss).toContain('no positive loss recorded');
    checkWellFormedXml(noLoss);
  });

  it('without eigenvalues, the spectrum charts are left out with a note', () => {
    const rs = records.map(({ eigenvalues: _drop, ...r }) => r);
    const html = renderReport(rs);
    expect(count(html, /<svg\b/g)).toBe(LAYERS.length);
    expect(count(html, /No eigenvalues in the log for this layer/g)).toBe(LAYERS.length);
    expect(renderCharts(rs).map((c) => c.kind)).toEqual(['rank', 'rank']);
    // Only some records with eigenvalues: the chart uses those.
    const some = records.map((r) => (r.step % 2 === 0 ? r : { ...r, eigenvalues: undefined }));
    expect(renderReport(some)).toMatch(/Eigenvalues were recorded at 31 of 61 measurements/);
  });

  it('repeated steps keep the last record, with a note', () => {
    const dup = [...records, { ...records.at(-1)!, epsRank: { '0.001': 2, '0.000001': 3 } }];
    const html = renderReport(dup);
    expect(html).toContain('1 record repeated an earlier step');
    expect(html).toMatch(/<tr data-layer="dense_2" data-eps="0.001">[\s\S]*?<td class="final" data-value="2">/);
  });

  it('many records: polylines are downsampled, the page stays small and quick', () => {
    const long = syntheticRun({ epochs: 6000, seed: 11 });
    expect(long).toHaveLength(12002);
    const t0 = performance.now();
    const charts = renderCharts(long);
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(5000);
    for (const c of charts) {
      checkWellFormedXml(c.svg);
      for (const m of c.svg.matchAll(/points="([^"]*)"/g)) expect(m[1]!.split(' ').length).toBeLessThanOrEqual(2000);
      for (const m of c.svg.matchAll(/ d="([^"]*)"/g)) expect(count(m[1]!, /H/g)).toBeLessThanOrEqual(2000);
    }
    const bytes = charts.reduce((a, c) => a + c.svg.length, 0);
    expect(bytes).toBeLessThan(4e6);
    // Downsampling keeps extremes.
    const ys = Array.from({ length: 10000 }, (_, i) => (i === 4321 ? 99 : i === 777 ? -5 : Math.sin(i)));
    const keep = downsampleIndices(ys, 400);
    expect(keep.length).toBeLessThanOrEqual(400);
    expect(keep).toContain(4321);
    expect(keep).toContain(777);
    expect(keep[0]).toBe(0);
    expect(keep.at(-1)).toBe(9999);
  });
});

describe('PNG output', () => {
  it('writes the HTML and one PNG per chart, with drawn pixels and rendered text', async () => {
    const out = join(tmp, 'png', 'report.html');
    const w = await writeReport(records, { out, png: true, pngScale: 1 });
    expect(w.html).toBe(out);
    expect(w.pngs).toEqual(w.charts.map((c) => join(tmp, 'png', `report-${c}.png`)));
    expect(w.pngs).toHaveLength(4);
    for (const p of w.pngs) {
      const buf = readFileSync(p);
      expect(buf.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      const img = decodePng(buf);
      expect(img.width).toBe(900);
      expect(countNonBackground(img.rgba)).toBeGreaterThan(img.width * img.height * 0.02);
    }
    expect(readFileSync(out, 'utf8')).toBe(renderReport(records));
  });

  it('text is rendered (resvg has a font): removing the <text> elements removes pixels', () => {
    if (knownFontFiles().length === 0) console.warn('no DejaVu/Liberation fonts at known paths; relying on system fonts');
    const svg = renderCharts(records)[0]!.svg;
    const noText = svg.replace(/<text\b[\s\S]*?<\/text>/g, '');
    const a = countNonBackground(rasterize(svg, { scale: 1 }).pixels);
    const b = countNonBackground(rasterize(noText, { scale: 1 }).pixels);
    expect(a - b).toBeGreaterThan(1500);
  });
});

describe('effrank report (CLI command)', () => {
  function program(): Command {
    const p = new Command().name('effrank').exitOverride();
    registerReportCommand(p);
    return p;
  }

  it('writes report.html and, with --png, the PNGs', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((s: string) => void lines.push(s));
    const out = join(tmp, 'cli', 'report.html');
    await program().parseAsync(['report', FIXTURE, '-o', out, '--png'], { from: 'user' });
    expect(existsSync(out)).toBe(true);
    expect(readFileSync(out, 'utf8')).toContain('effrank report: run-small.jsonl');
    for (const c of ['dense_1-rank', 'dense_1-spectrum', 'dense_2-rank', 'dense_2-spectrum']) expect(existsSync(join(tmp, 'cli', `report-${c}.png`))).toBe(true);
    expect(lines[0]).toMatch(/wrote .*report\.html \(4 charts from 122 records\)/);
    expect(lines).toHaveLength(5);
  });

  it('defaults the output next to the log', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const log = join(tmp, 'run.jsonl');
    writeFileSync(log, readFileSync(FIXTURE));
    await program().parseAsync(['report', log], { from: 'user' });
    expect(existsSync(join(tmp, 'run.report.html'))).toBe(true);
  });

  it('fails with one ERR_INVALID_ARGUMENT line naming the line of a malformed log', async () => {
    const log = join(tmp, 'bad.jsonl');
    writeFileSync(log, `${JSON.stringify(records[0])}\nnot json\n`);
    const err = await program().parseAsync(['report', log, '-o', join(tmp, 'bad.html')], { from: 'user' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EffrankError);
    expect((err as EffrankError).code).toBe('ERR_INVALID_ARGUMENT');
    expect((err as Error).message).toMatch(/bad\.jsonl line 2: not valid JSON/);
    expect((err as Error).message).not.toContain('\n');
    expect(existsSync(join(tmp, 'bad.html'))).toBe(false);
  });
});
