/**
 * Every failure effrank reports is an `EffrankError` with a stable `code`.
 * Native status codes, binding errors and JS-side validation all end up here.
 */
export type EffrankErrorCode =
  | 'ERR_INVALID_SHAPE'
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_NON_FINITE'
  | 'ERR_NO_CONVERGENCE'
  | 'ERR_OUT_OF_MEMORY'
  | 'ERR_THREAD_LIMIT'
  | 'ERR_IO'
  | 'ERR_LOG_IN_USE'
  | 'ERR_INTERNAL';

export const ERROR_CODES: readonly EffrankErrorCode[] = [
  'ERR_INVALID_SHAPE',
  'ERR_INVALID_ARGUMENT',
  'ERR_NON_FINITE',
  'ERR_NO_CONVERGENCE',
  'ERR_OUT_OF_MEMORY',
  'ERR_THREAD_LIMIT',
  'ERR_IO',
  'ERR_LOG_IN_USE',
  'ERR_INTERNAL',
];

export class EffrankError extends Error {
  readonly code: EffrankErrorCode;

  constructor(code: EffrankErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EffrankError';
    this.code = code;
  }
}

export function isEffrankError(e: unknown): e is EffrankError {
  return e instanceof EffrankError;
}

/** Turns an error thrown by the addon (an Error with a `code` string) into an EffrankError. */
export function fromNativeError(e: unknown): EffrankError {
  if (e instanceof EffrankError) return e;
  if (e instanceof Error) {
    const code = (e as Error & { code?: unknown }).code;
    if (typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code)) {
      return new EffrankError(code as EffrankErrorCode, e.message);
    }
    if (e instanceof RangeError && /allocat|memory/i.test(e.message)) {
      return new EffrankError('ERR_OUT_OF_MEMORY', e.message, { cause: e });
    }
    return new EffrankError('ERR_INTERNAL', e.message, { cause: e });
  }
  return new EffrankError('ERR_INTERNAL', String(e));
}

export function invalidArgument(message: string): EffrankError {
  return new EffrankError('ERR_INVALID_ARGUMENT', message);
}

export function invalidShape(message: string): EffrankError {
  return new EffrankError('ERR_INVALID_SHAPE', message);
}
