/**
 * effrank report: a self-contained HTML page (and optional PNGs) from a
 * RankTracker JSON Lines log. PNG rendering loads @resvg/resvg-js lazily, so
 * the HTML path needs no native module.
 */
import { basename, dirname, extname, join } from 'node:path';

import { type OutputFile, writeFilesAtomic } from '../core/atomic-file.js';
import type { RankRecord } from '../tfjs/options.js';
import { chartsOf } from './charts.js';
import { pageOf } from './html.js';
import { type ReportOptions, buildReportData } from './model.js';

export { renderCharts, renderStaircaseSvg, type ReportChart, type StaircaseSvgOptions } from './charts.js';
export { renderReport } from './html.js';
export { loadLog, parseLog, validateRecord } from './load-log.js';
export type { LoadLogOptions } from './load-log.js';
export { buildReportData, type ReportData, type ReportOptions, type LayerData, type EpsSeries } from './model.js';
export { linearScale, linearTicks, logScale, logTicks, downsampleIndices, type Scale, type Tick } from './scales.js';

export interface WriteReportOptions extends ReportOptions {
  /** The HTML file to write (directories are created). */
  out: string;
  /** Also write one PNG per chart next to it: `<out without .html>-<chart>.png`. */
  png?: boolean;
  /** PNG pixel density. Default 2. */
  pngScale?: number;
}

export interface WrittenReport {
  html: string;
  /** PNG paths, in chart order (empty without `png`). */
  pngs: string[];
  /** Chart names, in order. */
  charts: string[];
}

/** The PNG path of a chart: report.html + 'h1-rank' → report-h1-rank.png in the same directory. */
export function pngPath(out: string, chart: string): string {
  const ext = extname(out);
  const stem = ext ? basename(out, ext) : basename(out);
  return join(dirname(out), `${stem}-${chart}.png`);
}

/**
 * Writes the HTML report (and PNGs with `png`) atomically, as one set: on a
 * failure (a full disk) the previous report and PNGs stay as they were.
 */
export async function writeReport(records: readonly RankRecord[], options: WriteReportOptions): Promise<WrittenReport> {
  const data = buildReportData(records, options);
  const charts = chartsOf(data);
  const files: OutputFile[] = [{ path: options.out, data: pageOf(data, charts) }];
  const pngs: string[] = [];
  if (options.png) {
    const { svgToPng } = await import('./png.js');
    for (const c of charts) {
      const path = pngPath(options.out, c.name);
      files.push({ path, data: svgToPng(c.svg, { scale: options.pngScale }) });
      pngs.push(path);
    }
  }
  writeFilesAtomic(files);
  return { html: options.out, pngs, charts: charts.map((c) => c.name) };
}
