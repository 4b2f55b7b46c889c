import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/*
 * Code and docs cite the design as `docs/design.md §N` / `§N.M`, and the invariants as
 * `invariant N` (docs/design.md §2.N). These checks keep every such citation pointing at
 * a section the design really has, as code and the design change.
 */

const ROOT = join(__dirname, '../..');
const SCANNED_FOLDERS = ['src', 'projections', 'chaos', 'test', 'bench', 'docs'];
const SCANNED_FILES = ['README.md', 'jest.config.js'];
const SKIPPED = new Set(['node_modules', 'dist', 'results']);

interface Citation {
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED.has(entry.name)) return [];
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return /\.(ts|js|mjs|md)$/.test(entry.name) ? [path] : [];
  });
}

const scanned = [
  ...SCANNED_FOLDERS.flatMap((folder) => filesUnder(join(ROOT, folder))),
  ...SCANNED_FILES.map((file) => join(ROOT, file)),
];

function find(pattern: RegExp): Citation[] {
  return scanned.flatMap((path) =>
    readFileSync(path, 'utf8')
      .split('\n')
      .flatMap((content, index) =>
        [...content.matchAll(pattern)].map((match) => ({
          file: relative(ROOT, path),
          line: index + 1,
          text: match[1] ?? match[0],
        })),
      ),
  );
}

const design = readFileSync(join(ROOT, 'docs/design.md'), 'utf8');
const sections = new Set(
  [...design.matchAll(/^#{2,3} (\d+(?:\.\d+)?)[. ]/gm)].map((match) => match[1]),
);
const invariants = new Set(
  [...design.matchAll(/^### 2\.(\d+) .*\(invariant (\d+)\)$/gm)]
    .filter((match) => match[1] === match[2])
    .map((match) => match[1]),
);

function where(citation: Citation): string {
  return `${citation.file}:${citation.line}: ${citation.text}`;
}

describe('citations of docs/design.md', () => {
  it('finds the design numbered as it says: sections 1 to 7, invariants 1 to 10', () => {
    for (const section of ['1', '2', '3', '4', '5', '6', '7']) expect(sections).toContain(section);
    expect([...invariants].map(Number).sort((a, b) => a - b)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
    ]);
  });

  it('cites only sections the design has', () => {
    const citations = find(/design\.md §(\d+(?:\.\d+)?)/g);
    expect(citations.length).toBeGreaterThan(10);
    expect(citations.filter((c) => !sections.has(c.text)).map(where)).toEqual([]);
  });

  it('cites only sections the design has, inside the design', () => {
    const internal = [...design.matchAll(/§(\d+(?:\.\d+)?)/g)].map((match) => match[1]);
    expect(internal.length).toBeGreaterThan(10);
    expect(internal.filter((section) => !sections.has(section))).toEqual([]);
  });

  it('cites only invariants the design has', () => {
    const citations = find(/\binvariants? (\d+(?:\s*(?:,|and|or|–|-)\s*\d+)*)/gi).flatMap(
      (citation) => citation.text.match(/\d+/g)!.map((text) => ({ ...citation, text })),
    );
    expect(citations.length).toBeGreaterThan(10);
    expect(citations.filter((c) => !invariants.has(c.text)).map(where)).toEqual([]);
  });

  it('has no pointer left at the old brief or toolchain notes outside the repository', () => {
    const stale = find(/DESIGN §\S*|(?:shared\/)?TOOLCHAIN\.md/g).filter(
      (citation) => citation.file !== relative(ROOT, __filename),
    );
    expect(stale.map(where)).toEqual([]);
  });
});
