#!/usr/bin/env node
/** The `effrank` command. Each subcommand lives in its own module. */
import { Command } from 'commander';

import { registerBenchCommand } from './bench-command.js';
import { registerCheckCommand } from './check-command.js';
import { registerCompareCommand } from './compare-command.js';
import { registerDemoCommand } from './demo-command.js';
import { registerRankCommand } from './rank-command.js';
import { registerReportCommand } from './report-command.js';

const program = new Command()
  .name('effrank')
  .description('The ε-rank of neural-network features, and fast SVDs, over OpenBLAS/LAPACK.')
  .showHelpAfterError();

registerDemoCommand(program);
registerCompareCommand(program);
registerRankCommand(program);
registerReportCommand(program);
registerBenchCommand(program);
registerCheckCommand(program);

program.parseAsync(process.argv).catch((e: unknown) => {
  // One line, no stack trace: errors here are the user's input or environment.
  const err = e as { code?: string; message?: string };
  console.error(`effrank: ${err.code ? `${err.code}: ` : ''}${err.message ?? String(e)}`);
  process.exit(2);
});
