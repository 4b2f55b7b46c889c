import { spawn, type ChildProcess } from 'node:child_process';
import { NODE_FLAGS } from '../../../src/node-flags';
import { once } from 'node:events';
import { serviceEnv } from '../suite/antaeus-billing';
import { ANTAEUS_MAIN, REPO_ROOT } from '../suite/paths';
import { freePort } from '../../../test/support/service/free-port';

const HEALTHY_WITHIN_MS = 120_000;
const STOPPED_WITHIN_MS = 15_000;
const LOG_LINES_KEPT = 200;
/** The service's one API key (both scopes) in the scale run. */
export const BENCH_API_TOKEN = 'bench-scale-0123456789abcdef';
export const BENCH_AUTH = { Authorization: `Bearer ${BENCH_API_TOKEN}` } as const;

/** The service as an operator starts it (`node dist/src/main.js`), on a free port. */
export class ServiceProcess {
  private readonly log: string[] = [];

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    const keep = (chunk: Buffer): void => {
      this.log.push(...chunk.toString('utf8').trimEnd().split('\n'));
      this.log.splice(0, Math.max(0, this.log.length - LOG_LINES_KEPT));
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  /** Starts it on `databaseUrl` with no seeding, and resolves once /rest/health says 200. */
  static async start(databaseUrl: string, latencyMs: number): Promise<ServiceProcess> {
    const port = await freePort();
    const env = {
      ...serviceEnv(databaseUrl, latencyMs),
      PORT: String(port),
      ANTAEUS_SEED: 'false',
      ANTAEUS_API_TOKEN: BENCH_API_TOKEN,
      NO_COLOR: '1',
    };
    const child = spawn(process.execPath, [...NODE_FLAGS, ANTAEUS_MAIN], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Should this process die first, the service must not outlive it.
    const orphaned = (): boolean => child.kill('SIGKILL');
    process.once('exit', orphaned);
    child.once('exit', () => process.off('exit', orphaned));
    const service = new ServiceProcess(child, `http://127.0.0.1:${port}`);
    try {
      await service.healthy();
    } catch (error) {
      await service.stop();
      throw error;
    }
    return service;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOPPED_WITHIN_MS);
    await exited;
    clearTimeout(timer);
  }

  private async healthy(): Promise<void> {
    const deadline = Date.now() + HEALTHY_WITHIN_MS;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) break;
      try {
        const response = await fetch(`${this.url}/rest/health`);
        if (response.status === 200) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const how = this.child.exitCode !== null ? `exited with ${this.child.exitCode}` : 'timed out';
    throw new Error(`the service did not become healthy (${how}):\n${this.log.join('\n')}`);
  }
}
