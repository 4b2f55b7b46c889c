import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const KINDS = ['test:unit', 'test:int', 'test:e2e'] as const;

/** The path pattern each kind's npm script passes to jest (--testPathPatterns '<regex>'). */
function patternOf(script: string): RegExp {
  const scripts = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')).scripts;
  const match = /--testPathPatterns '([^']+)'/.exec(scripts[script] ?? '');
  if (!match) throw new Error(`npm script ${script} names no --testPathPatterns`);
  return new RegExp(match[1]);
}

function specFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return specFiles(path);
    return entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('test kinds', () => {
  it('puts every spec file in exactly one of test:unit, test:int and test:e2e', () => {
    const patterns = KINDS.map((kind) => ({ kind, pattern: patternOf(kind) }));
    const specs = specFiles(__dirname).map((path) => relative(join(__dirname, '..'), path));
    expect(specs.length).toBeGreaterThan(50);
    const misplaced = specs
      .map((spec) => ({
        spec,
        kinds: patterns.filter(({ pattern }) => pattern.test(spec)).map(({ kind }) => kind),
      }))
      .filter(({ kinds }) => kinds.length !== 1);
    expect(misplaced).toEqual([]);
  });
});
