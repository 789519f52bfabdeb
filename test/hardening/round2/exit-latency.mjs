/** Probe (not a test): milliseconds from the exit request to the end of the process, 3 runs per trigger. `node test/hardening/round2/exit-latency.mjs` */
import { spawn } from 'node:child_process';
for (const how of ['exit', 'throw', 'reject']) for (let i = 0; i < 3; i++) {
  await new Promise((resolve) => {
    const c = spawn(process.execPath, [new URL('./exit-busy-child.mjs', import.meta.url).pathname, how, String(150 + 150 * i)], { stdio: ['ignore', 'pipe', 'ignore'] });
    let t;
    c.stdout.on('data', () => { t ??= Date.now(); });
    c.on('close', (code) => { console.log(how, code, Date.now() - t, 'ms from exit request to process end'); resolve(); });
  });
}
