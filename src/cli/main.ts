#!/usr/bin/env node
/**
 * The `effrank` command. Each subcommand lives in its own module.
 *
 * Usage errors (an unknown option, a bad option value) print commander's one
 * line naming the option and the problem, then a hint to run --help, and exit
 * with 2, as every other failure does; --help and --version exit 0.
 */
import { Command, CommanderError } from 'commander';

import { registerBenchCommand } from './bench-command.js';
import { registerCheckCommand } from './check-command.js';
import { registerCompareCommand } from './compare-command.js';
import { registerDemoCommand } from './demo-command.js';
import { registerRankCommand } from './rank-command.js';
import { registerReportCommand } from './report-command.js';
import { packageVersion } from './version.js';
import { registerWatchCommand } from './watch-command.js';

const program = new Command()
  .name('effrank')
  .description('The ε-rank of neural-network features, and fast SVDs, over OpenBLAS/LAPACK.')
  .version(packageVersion(), '-V, --version', 'print the version')
  .exitOverride()
  .showHelpAfterError("(run 'effrank --help' for usage)");

registerDemoCommand(program);
registerCompareCommand(program);
registerRankCommand(program);
registerReportCommand(program);
registerWatchCommand(program);
registerBenchCommand(program);
registerCheckCommand(program);
for (const cmd of program.commands) cmd.showHelpAfterError(`(run 'effrank ${cmd.name()} --help' for usage)`);

program.parseAsync(process.argv).catch((e: unknown) => {
  // commander has already printed its message; --help and --version end here with 0.
  if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 2);
  // One line, no stack trace: errors here are the user's input or environment.
  const err = e as { code?: string; message?: string };
  console.error(`effrank: ${err.code ? `${err.code}: ` : ''}${err.message ?? String(e)}`);
  process.exit(2);
});
