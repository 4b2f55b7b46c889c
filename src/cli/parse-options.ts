import { InvalidArgumentError } from 'commander';

/** A whole number of at least `min`; anything else is refused with the option's name. */
export function parsePositiveInteger(flag: string, value: string, min = 1): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < min) {
    throw new InvalidArgumentError(`${flag} must be a whole number >= ${min}, got "${value}"`);
  }
  return number;
}
