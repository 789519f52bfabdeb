import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** A JSON Lines log: truncated when opened, one line appended (and flushed to the OS) per record. */
export class JsonlLog {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, '');
  }

  write(record: unknown): void {
    appendFileSync(this.path, `${JSON.stringify(record)}\n`);
  }
}
