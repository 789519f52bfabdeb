/** Validation of the option values shared by the rank measures. */
import { invalidArgument } from './errors.js';
import { describe } from './matrix.js';

export { readOptions } from './validate.js';

export function checkPositive(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw invalidArgument(`${what} must be a finite number > 0, got ${describe(value)}`);
  }
  return value;
}

export function checkNonNegative(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidArgument(`${what} must be a finite number ≥ 0, got ${describe(value)}`);
  }
  return value;
}

export function checkPositiveInteger(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw invalidArgument(`${what} must be a positive integer, got ${describe(value)}`);
  }
  return value;
}

export function checkOneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalidArgument(`${what} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describe(value)}`);
  }
  return value as T;
}

export function checkBoolean(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') throw invalidArgument(`${what} must be a boolean, got ${describe(value)}`);
  return value;
}
