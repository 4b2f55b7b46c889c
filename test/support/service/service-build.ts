import { join, resolve } from 'node:path';

/** A compiled Antaeus: its processes run `node <dir>/src/...` with `root` as working directory. */
export interface ServiceBuild {
  /** The repository root (node_modules resolves from there). */
  readonly root: string;
  /** The tsc output directory holding src/main.js and src/cli/cli.js. */
  readonly dir: string;
}

/** The build this file was compiled into: dist/test/support/service/service-build.js gives dist/. */
export function ownBuild(): ServiceBuild {
  const dir = resolve(__dirname, '../../..');
  return { root: resolve(dir, '..'), dir };
}

export function buildFile(build: ServiceBuild, path: string): string {
  return join(build.dir, path);
}
