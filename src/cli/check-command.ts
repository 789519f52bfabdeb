/** `effrank check`: a self-checking run of the native core, for installs and bug reports. */
import type { Command } from 'commander';

import { backendInfo } from '../index.js';
import { runSpectrumDemo } from './check.js';
import { collectEps, positiveInt } from './demo-command.js';

export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description('ε-rank of features with a known spectrum by every method, against the truth; prints the backend')
    .option('--rows <N>', 'sample points', positiveInt, 4000)
    .option('--cols <n>', 'neurons', positiveInt, 256)
    .option('--eps <eps>', 'threshold (repeatable)', collectEps)
    .option('--float32', 'float32 features (default float64)')
    .option('--seed <seed>', 'random seed', positiveInt, 1)
    .action((o: { rows: number; cols: number; eps?: number[]; float32?: boolean; seed: number }) => {
      const info = backendInfo();
      console.log(`effrank ${info.addonVersion} · ${info.blasConfig} · ${info.threads} threads · addon in ${info.addonPath}`);
      runSpectrumDemo({ rows: o.rows, cols: o.cols, eps: o.eps ?? [1e-3, 3e-7, 3e-8], seed: o.seed, dtype: o.float32 ? 'float32' : 'float64' });
    });
}
