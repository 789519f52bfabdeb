/** `effrank bench`: the benchmark suite of benchmarks/, with its ratio table. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';

import { packageRoot } from '../native.js';

export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description('time effrank against numpy/scipy and the JavaScript SVDs in one run, and print the ratios')
    .argument('[families...]', 'benchmark families to run (default: all)')
    .option('--quick', 'fewer repetitions')
    .action((families: string[], o: { quick?: boolean }) => {
      const runner = join(packageRoot, 'benchmarks', 'run.js');
      if (!existsSync(runner)) throw new Error(`the benchmark suite is not installed (${runner} is missing)`);
      const args = [runner, ...families, ...(o.quick ? ['--quick'] : [])];
      const r = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: packageRoot });
      process.exitCode = r.status ?? 1;
    });
}
