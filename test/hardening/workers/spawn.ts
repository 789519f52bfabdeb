/** Runs a hardening probe in a child process (node, optionally with --expose-gc, with the TypeScript loader). */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..', '..', '..');
export const tsRegister = join(repoRoot, 'test', 'hardening', 'workers', 'ts-register.mjs');

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `node [--expose-gc] --import ts-register <script> ...args`, killing it after timeoutMs. */
export function runChild(script: string, args: string[] = [], o: { gc?: boolean; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<ChildResult> {
  const nodeArgs = [...(o.gc ? ['--expose-gc'] : []), '--import', tsRegister, join(repoRoot, script), ...args];
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, nodeArgs, { cwd: repoRoot, env: o.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 300_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

/** The last line of stdout that parses as JSON, or an error that shows what the child printed. */
export function lastJson<T>(r: ChildResult): T {
  const lines = r.stdout.trim().split('\n').reverse();
  for (const line of lines) {
    try {
      return JSON.parse(line) as T;
    } catch {
      // not the report line
    }
  }
  throw new Error(`the child (exit ${r.code}, signal ${r.signal}) printed no JSON report.\nstderr:\n${r.stderr.slice(-4000)}\nstdout:\n${r.stdout.slice(-4000)}`);
}
