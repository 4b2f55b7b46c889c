import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, seedThroughCli, type CliResult } from '../../support/service/run-cli';
import { ServiceProcess, type Env } from '../../support/service/service-process';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { E2E_BUILD } from './build-once';

export const API_TOKEN = 'e2e-token-0123456789abcdefgh';

/**
 * Several service processes on one fresh PostgreSQL database, sharing one simulated
 * ledger file, plus the operator CLI on the same settings. close() kills every
 * process (kill -9: nothing is left to finish) and drops the database.
 */
export class BillingCluster {
  readonly instances: ServiceProcess[] = [];

  private constructor(
    readonly database: TestDatabase,
    private readonly dir: string,
    readonly env: Env,
  ) {}

  /** `env`: the BILLING_* and SIMULATED_* settings every instance and the CLI share. */
  static async create(label: string, env: Env): Promise<BillingCluster> {
    const database = await createTestDatabase(label);
    const dir = mkdtempSync(join(tmpdir(), `antaeus-${label}-`));
    return new BillingCluster(database, dir, {
      DATABASE_URL: database.url,
      // Several clusters may run at once (parallel jest workers): stay far below
      // PostgreSQL's 100 connections.
      DATABASE_POOL_SIZE: '6',
      ANTAEUS_API_TOKEN: API_TOKEN,
      ANTAEUS_SEED: 'false',
      SIMULATED_LEDGER_FILE: join(dir, 'ledger.jsonl'),
      ...env,
    });
  }

  get ledgerFile(): string {
    return this.env.SIMULATED_LEDGER_FILE;
  }

  /**
   * Starts `count` more instances at once, `<prefix>-<n>` numbered on from those already
   * started; all healthy. `overrides` changes the shared settings for these instances only
   * (a provider that behaves differently after a restart, say).
   */
  async start(count: number, prefix = 'instance', overrides: Env = {}): Promise<ServiceProcess[]> {
    const first = this.instances.length + 1;
    const ids = Array.from({ length: count }, (_, i) => `${prefix}-${first + i}`);
    const env = { ...this.env, ...overrides };
    const started = await Promise.allSettled(
      ids.map((id) => ServiceProcess.start(id, env, E2E_BUILD)),
    );
    for (const result of started)
      if (result.status === 'fulfilled') this.instances.push(result.value);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    return this.instances.slice(-count);
  }

  /** `node <build>/src/cli/cli.js <args>` (npm run cli) on the cluster's settings. */
  cli(...args: string[]): Promise<CliResult> {
    return runCli(E2E_BUILD, this.env, args);
  }

  /** Issues `invoices` PENDING invoices, one per customer, through the CLI. */
  seed(invoices: number): Promise<void> {
    return seedThroughCli(E2E_BUILD, this.env, invoices);
  }

  /** Runs `work`; a failure gets every instance's last output appended. */
  async explain<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof Error) error.message += `\n\n${this.logs()}`;
      throw error;
    }
  }

  logs(lines = 30): string {
    return this.instances
      .map(
        (instance) =>
          `=== ${instance.instanceId} (last ${lines} lines) ===\n${instance.tail(lines)}`,
      )
      .join('\n\n');
  }

  async close(): Promise<void> {
    await Promise.all(this.instances.map((instance) => instance.kill()));
    await this.database.drop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
