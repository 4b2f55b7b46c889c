import { execFile } from 'node:child_process';
import { NODE_FLAGS } from '../../../src/node-flags';
import { buildFile, type ServiceBuild } from './service-build';
import type { Env } from './service-process';

export interface CliResult {
  readonly code: number;
  readonly output: string;
}

const CLI_TIMEOUT_MS = 300_000;

/** `node <build>/src/cli/cli.js <args>` (npm run cli) with `env` as its whole environment. */
export function runCli(build: ServiceBuild, env: Env, args: readonly string[]): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [...NODE_FLAGS, buildFile(build, 'src/cli/cli.js'), ...args],
      {
        cwd: build.root,
        env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
        timeout: CLI_TIMEOUT_MS,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        done({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

/** Issues `invoices` PENDING invoices, one per customer, through the CLI's seed command. */
export async function seedThroughCli(
  build: ServiceBuild,
  env: Env,
  invoices: number,
): Promise<void> {
  const args = ['seed', '--customers', String(invoices), '--invoices-per-customer', '1'];
  const result = await runCli(build, env, [...args, '--paid-per-customer', '0']);
  if (result.code !== 0) throw new Error(`seed exited ${result.code}:\n${result.output}`);
}
