/** Assertions on EffrankError codes, for sync throws and async rejections. */
import { expect } from 'vitest';
import { EffrankError, type EffrankErrorCode } from '../../src/index.js';

/** Runs f, asserts it throws an EffrankError with this code, and returns the error. */
export function expectCode(f: () => unknown, code: EffrankErrorCode): EffrankError {
  let caught: unknown = undefined;
  let threw = false;
  try {
    f();
  } catch (e) {
    threw = true;
    caught = e;
  }
  expect(threw, `expected ${code}, but the call returned`).toBe(true);
  expect(caught, `expected an EffrankError, got ${String(caught)}`).toBeInstanceOf(EffrankError);
  const err = caught as EffrankError;
  expect(err.code, err.message).toBe(code);
  expect(err.name).toBe('EffrankError');
  expect(err.message.length).toBeGreaterThan(0);
  return err;
}

/**
 * Calls start() — which must NOT throw synchronously — and asserts that the
 * promise it returns rejects with an EffrankError of this code.
 */
export async function expectRejectCode(start: () => Promise<unknown>, code: EffrankErrorCode): Promise<EffrankError> {
  let promise: Promise<unknown> | undefined;
  expect(() => {
    promise = start();
  }).not.toThrow();
  expect(promise).toBeInstanceOf(Promise);
  let caught: unknown = undefined;
  let rejected = false;
  try {
    await promise;
  } catch (e) {
    rejected = true;
    caught = e;
  }
  expect(rejected, `expected a rejection with ${code}, but the promise resolved`).toBe(true);
  expect(caught, `expected an EffrankError, got ${String(caught)}`).toBeInstanceOf(EffrankError);
  const err = caught as EffrankError;
  expect(err.code, err.message).toBe(code);
  return err;
}

/** The `code` of what f throws, or undefined if it returns: for terse tables of bad inputs. */
export function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}
