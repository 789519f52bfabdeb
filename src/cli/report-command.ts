/** `effrank report RUN.jsonl -o report.html [--png]`: the HTML report of a RankTracker log. */
import { basename, extname } from 'node:path';

import type { Command } from 'commander';

import { loadLog, writeReport } from '../report/index.js';

export interface ReportCommandOptions {
  out?: string;
  png?: boolean;
  title?: string;
}

/** report.html next to the log when -o is not given: run.jsonl → run.report.html. */
export function defaultReportPath(log: string): string {
  const ext = extname(log);
  return `${ext ? log.slice(0, -ext.length) : log}.report.html`;
}

/** Runs the command; errors (EffrankError ERR_INVALID_ARGUMENT naming the line) propagate to the caller. */
export async function runReport(log: string, o: ReportCommandOptions, print: (line: string) => void = console.log): Promise<void> {
  const records = loadLog(log, { onWarning: (message) => console.warn(`effrank report: warning: ${message}`) });
  const out = o.out ?? defaultReportPath(log);
  const written = await writeReport(records, { out, png: o.png ?? false, title: o.title ?? `effrank report: ${basename(log)}`, source: basename(log) });
  print(`wrote ${written.html} (${written.charts.length} charts from ${records.length} records)`);
  for (const p of written.pngs) print(`wrote ${p}`);
}

export function registerReportCommand(program: Command): Command {
  return program
    .command('report')
    .description('an HTML report (loss, ε-rank staircase, eigenvalue spectra, summary) from a RankTracker JSONL log')
    .argument('<log>', 'the tracker log (JSON Lines, one RankRecord per line)')
    .option('-o, --out <file>', 'HTML file to write (default: <log>.report.html)')
    .option('--png', 'also write one PNG per chart next to the HTML (<out>-<chart>.png)')
    .option('--title <title>', 'page title')
    .action(async (log: string, o: ReportCommandOptions) => {
      await runReport(log, o);
    });
}
