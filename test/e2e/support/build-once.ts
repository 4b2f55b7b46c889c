import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ServiceBuild } from '../../support/service/service-build';
import { waitFor } from '../../support/wait-for';

/** The repository root: the spawned service and CLI run with it as working directory. */
export const ROOT = resolve(__dirname, '../../..');
/**
 * The build these tests run: `tsc -p tsconfig.build.json` into its own directory, so
 * that another `npm run build` (a colleague's, a benchmark's) cannot rewrite the files
 * under a running test. Inside dist/, so node_modules resolves and git ignores it.
 */
export const BUILD = join(ROOT, 'dist', 'e2e');
export const E2E_BUILD: ServiceBuild = { root: ROOT, dir: BUILD };

const INPUTS = [
  'src',
  'projections',
  'chaos',
  'test/support/service', // chaos/ runs the service through the kit
  'test/support/wait-for.ts',
  'tsconfig.json',
  'tsconfig.build.json',
];
const STAMP = join(BUILD, '.build-stamp');
const BUILD_TIMEOUT_MS = 180_000;

/**
 * Compiles the service to BUILD unless it is newer than every source. Spec files run in parallel jest workers, so
 * a lock directory (mkdir is atomic) lets one build while the others wait for it.
 */
export async function buildOnce(): Promise<void> {
  const lock = join(
    tmpdir(),
    `antaeus-e2e-build-${createHash('sha1').update(ROOT).digest('hex').slice(0, 12)}`,
  );
  for (;;) {
    if (isBuilt()) return;
    if (tryLock(lock)) break;
    await waitFor(() => !isLocked(lock), {
      timeoutMs: BUILD_TIMEOUT_MS,
      intervalMs: 100,
      message: `the build another jest worker is running (lock ${lock})`,
    });
  }
  try {
    if (isBuilt()) return;
    const startedAt = Date.now();
    await compile();
    writeFileSync(STAMP, String(startedAt));
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function compile(): Promise<void> {
  const tsc = require.resolve('typescript/bin/tsc');
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      [tsc, '-p', 'tsconfig.build.json', '--outDir', BUILD],
      { cwd: ROOT, timeout: BUILD_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) return done();
        fail(
          new Error(`tsc -p tsconfig.build.json --outDir ${BUILD} failed:\n${stdout}${stderr}`, {
            cause: error,
          }),
        );
      },
    );
  });
}

/** Built after the last change to any input (the build's start time is stamped). */
function isBuilt(): boolean {
  let builtAt: number;
  try {
    builtAt = Number(readFileSync(STAMP, 'utf8'));
  } catch {
    return false;
  }
  return INPUTS.every((input) => newestChange(join(ROOT, input)) < builtAt);
}

function newestChange(path: string): number {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats) return 0;
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path)
    .filter((name) => name !== 'node_modules' && name !== 'results')
    .reduce((newest, name) => Math.max(newest, newestChange(join(path, name))), stats.mtimeMs);
}

function tryLock(lock: string): boolean {
  try {
    mkdirSync(lock);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  }
  writeFileSync(join(lock, 'pid'), String(process.pid));
  return true;
}

/** A lock whose owner died (a killed jest run) is stale: remove it. */
function isLocked(lock: string): boolean {
  let owner: number;
  try {
    owner = Number(readFileSync(join(lock, 'pid'), 'utf8'));
  } catch {
    // Gone, or just created and its pid not written yet.
    return statSync(lock, { throwIfNoEntry: false }) !== undefined;
  }
  try {
    process.kill(owner, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EPERM') return true;
    rmSync(lock, { recursive: true, force: true });
    return false;
  }
}
