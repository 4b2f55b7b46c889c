import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_VARIABLES } from '../../src/config/load-config';

/** The variables named in the first column of the README's "Configuration" table. */
function documentedVariables(): string[] {
  const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
  const section = readme.split(/^## /m).find((part) => part.startsWith('Configuration\n'));
  if (section === undefined) throw new Error('README.md has no "## Configuration" section');
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  return rows.flatMap((row) => [...row.split('|')[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]));
}

describe("the README's configuration table", () => {
  it('names every variable the service reads, each once, and nothing else', () => {
    const documented = documentedVariables();
    expect([...documented].sort()).toEqual([...CONFIG_VARIABLES].sort());
    expect(new Set(documented).size).toBe(documented.length);
  });
});
