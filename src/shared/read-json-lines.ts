import { readFileSync } from 'node:fs';

/**
 * A JSON-lines file as values, each checked by `is`. A malformed line throws, naming the
 * file and line: figures read from half a file would prove nothing.
 */
export function readJsonLines<T>(
  path: string,
  what: string,
  is: (value: Partial<T>) => boolean,
): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line, index) => {
      let value: Partial<T>;
      try {
        value = JSON.parse(line) as Partial<T>;
      } catch (error) {
        throw new Error(`${path}:${index + 1} is not JSON: ${line}`, { cause: error });
      }
      if (typeof value !== 'object' || value === null || !is(value)) {
        throw new Error(`${path}:${index + 1} is not ${what}: ${line}`);
      }
      return value as T;
    });
}
