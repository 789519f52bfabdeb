/**
 * `effrank demo --watch`: the watch server runs in a child process, because
 * training holds the main thread for long stretches (tfjs `fit` with
 * yieldEvery 'never') and the page must stay responsive meanwhile.
 */
import { type ChildProcess, spawn } from 'node:child_process';

export interface WatchChild {
  /** After training: serve until SIGINT/SIGTERM (forwarded to the child), then resolve. */
  serveUntilStopped(): Promise<void>;
}

export function spawnWatch(log: string, port: number): WatchChild {
  const script = process.argv[1]!;
  const child: ChildProcess = spawn(process.execPath, [script, 'watch', log, '--port', String(port)], { stdio: ['ignore', 'inherit', 'inherit'] });
  const stopChild = () => void (child.exitCode === null && child.signalCode === null && child.kill('SIGINT'));
  // Whatever ends this process also ends the server.
  process.once('exit', stopChild);
  const ended = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    serveUntilStopped: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const forward = () => stopChild();
      process.on('SIGINT', forward);
      process.on('SIGTERM', forward);
      await ended;
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
    },
  };
}
