import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

// Compiled to bench/dist/bench/src/suite/: five levels up is the repository.
export const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..', '..');

/** The Antaeus under test: the top-level build (`npm run build`). */
export const ANTAEUS_CLI = join(REPO_ROOT, 'dist', 'src', 'cli', 'cli.js');

/** The service itself, for the REST figures of `npm run bench:scale`. */
export const ANTAEUS_MAIN = join(REPO_ROOT, 'dist', 'src', 'main.js');

export const WORKLOAD_RUNNER = join(__dirname, '..', 'run-workload.js');

export const RESULTS_FILE = join(REPO_ROOT, 'bench', 'results', 'latest.json');

export const SCALE_RESULTS_FILE = join(REPO_ROOT, 'bench', 'results', 'scale-latest.json');

export function assertBuilt(): void {
  if (!existsSync(ANTAEUS_CLI)) {
    throw new Error(`${ANTAEUS_CLI} is missing: run \`npm run build\` first (npm run bench does)`);
  }
}
