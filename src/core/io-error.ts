/** ERR_IO errors for failed file operations: the path, what was being done, and the system's reason in words. */
import { EffrankError } from './errors.js';

const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EEXIST: 'a file is in the way of a folder on that path',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EISDIR: 'the path is a folder',
  EIO: 'input/output error',
};

/** 'ENOSPC (no space left on the device)', or the error's message when it has no errno code. */
export function ioReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string') return String((e as Error | undefined)?.message ?? e);
  const words = REASONS[code];
  return words ? `${code} (${words})` : code;
}

/** `cannot <doing> <path>: <reason><after>` as ERR_IO; an EffrankError passes through unchanged. */
export function ioError(path: string, doing: string, e: unknown, after = ''): EffrankError {
  if (e instanceof EffrankError) return e;
  return new EffrankError('ERR_IO', `cannot ${doing} ${path}: ${ioReason(e)}${after}`, { cause: e });
}
