/**
 * `effrank watch RUN.jsonl [--port N] [--open]`: the report page of a run,
 * served on 127.0.0.1 and updated live as records are appended (see
 * watch/server.ts). Runs until SIGINT/SIGTERM, then closes every connection
 * and exits 0.
 */
import { spawn } from 'node:child_process';
import { type Command, InvalidArgumentError } from 'commander';

import { startWatch } from './watch/server.js';

export interface WatchCommandOptions {
  port: number;
  open?: boolean;
  title?: string;
}

export function port(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number in [0, 65535] (0: any free port)');
  return n;
}

/** Best effort: the platform's opener, detached; failing to open is a note, not an error. */
export function openInBrowser(url: string, print: (line: string) => void): void {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  const child = spawn(cmd, args as string[], { detached: true, stdio: 'ignore' });
  child.on('error', () => print(`could not start a browser (${cmd}); open ${url} yourself`));
  child.unref();
}

export async function runWatch(log: string, o: WatchCommandOptions, print: (line: string) => void = console.log): Promise<void> {
  const w = await startWatch({ log, port: o.port, title: o.title });
  print(`effrank watch: serving ${log} at ${w.url} (Ctrl-C to stop)`);
  if (o.open) openInBrowser(w.url, print);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void w.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  print('effrank watch: stopped');
}

export function registerWatchCommand(program: Command): Command {
  return program
    .command('watch')
    .description('serve the report of a RankTracker log on 127.0.0.1, updated live as records are appended')
    .argument('<log>', 'the tracker log (JSON Lines); it may not exist yet')
    .option('--port <n>', 'port on 127.0.0.1 (0: any free port)', port, 0)
    .option('--open', 'open the page in the default browser')
    .option('--title <title>', 'page title')
    .action(async (log: string, o: WatchCommandOptions) => {
      await runWatch(log, o);
    });
}
