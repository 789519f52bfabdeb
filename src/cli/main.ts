#!/usr/bin/env node
/** The `effrank` command. */
import { Command, InvalidArgumentError } from 'commander';

import { backendInfo } from '../index.js';
import { runSpectrumDemo } from './spectrum-demo.js';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function positiveNumber(value: string, previous: number[] | undefined): number[] {
  const x = Number(value);
  if (!Number.isFinite(x) || x <= 0) throw new InvalidArgumentError('expected a number > 0');
  return [...(previous ?? []), x];
}

const program = new Command()
  .name('effrank')
  .description('Spectra, SVDs and the ε-rank of feature matrices, over OpenBLAS/LAPACK.')
  .showHelpAfterError();

program
  .command('demo')
  .description('ε-rank of features with a known spectrum, by every method, checked against the truth')
  .option('--rows <N>', 'sample points', positiveInt, 4000)
  .option('--cols <n>', 'neurons', positiveInt, 256)
  .option('--eps <eps>', 'threshold (repeatable)', positiveNumber)
  .option('--float32', 'float32 features (default float64)')
  .option('--seed <seed>', 'random seed', positiveInt, 1)
  .action((o: { rows: number; cols: number; eps?: number[]; float32?: boolean; seed: number }) => {
    const info = backendInfo();
    console.log(`effrank ${info.addonVersion} · ${info.blasConfig.split(' ').slice(0, 2).join(' ')} · ${info.threads} threads`);
    runSpectrumDemo({
      rows: o.rows,
      cols: o.cols,
      eps: o.eps ?? [1e-3, 3e-7, 3e-8],
      seed: o.seed,
      dtype: o.float32 ? 'float32' : 'float64',
    });
  });

program
  .command('info')
  .description('BLAS, threads and addon version, for bug reports')
  .action(() => console.log(JSON.stringify(backendInfo(), null, 2)));

program.parseAsync(process.argv).catch((e: unknown) => {
  const err = e as { code?: string; message?: string };
  console.error(`effrank: ${err.code ? `${err.code}: ` : ''}${err.message ?? String(e)}`);
  process.exit(2);
});
