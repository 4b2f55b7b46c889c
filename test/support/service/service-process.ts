import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from './free-port';
import { NODE_FLAGS } from '../../../src/node-flags';
import { buildFile, type ServiceBuild } from './service-build';
import { waitFor } from '../wait-for';

export type Env = Record<string, string>;

const LOG_LINES_KEPT = 400;
// A Nest boot takes seconds, and many times longer on a machine loaded by other runs
// (docs/benchmarks.md).
const HEALTHY_WITHIN_MS = 90_000;
// Nest's start-up chatter (one line per module and route): it would fill the tails.
const WIRING = /\[(InstanceLoader|RoutesResolver|RouterExplorer)\]/;

/** Every child still running, killed if the jest worker or the runner exits without cleaning up. */
const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

/**
 * One Antaeus instance as its own process (`node <build>/src/main.js`), on its own port,
 * with its output kept for failure messages. restart() starts it again with the same
 * instance id, port and environment, as an operator (or an orchestrator) would.
 * `onExit` hears of every exit, expected or not (the chaos runner counts crashes).
 */
export class ServiceProcess {
  /** Every pid this instance has had, oldest first: the ledger file names pids. */
  readonly pids: number[] = [];
  private child: ChildProcess | null = null;
  private readonly log: string[] = [];

  /** Called on every exit of this instance's process, with its pid and how it ended. */
  onExit: ((pid: number, how: string) => void) | null = null;

  private constructor(
    readonly instanceId: string,
    readonly port: number,
    private readonly env: Env,
    private readonly build: ServiceBuild,
  ) {}

  static async start(instanceId: string, env: Env, build: ServiceBuild): Promise<ServiceProcess> {
    const instance = new ServiceProcess(instanceId, await freePort(), env, build);
    await instance.restart();
    return instance;
  }

  /** The key every instance is started with (ANTAEUS_API_TOKEN): both scopes. */
  get apiKey(): string {
    return this.env.ANTAEUS_API_TOKEN ?? '';
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get alive(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process (again) and resolves once /rest/health answers 200. */
  async restart(): Promise<void> {
    if (this.alive) throw new Error(`${this.instanceId} is already running`);
    const child = spawn(process.execPath, [...NODE_FLAGS, buildFile(this.build, 'src/main.js')], {
      cwd: this.build.root,
      env: {
        PATH: process.env.PATH ?? '',
        NO_COLOR: '1',
        ...this.env,
        PORT: String(this.port),
        ANTAEUS_INSTANCE_ID: this.instanceId,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    running.add(child);
    this.pids.push(child.pid ?? -1);
    this.note(`started, pid ${child.pid}`);
    child.stdout?.on('data', (chunk: Buffer) => this.keep(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.keep(chunk));
    child.once('exit', (code, signal) => {
      running.delete(child);
      const how = signal ?? `code ${code}`;
      this.note(`pid ${child.pid} exited (${how})`);
      this.onExit?.(child.pid ?? -1, how);
    });
    await this.waitHealthy();
  }

  /** kill -9: no shutdown hook runs, whatever was in flight is simply gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || !this.alive) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
  }

  /** The last `lines` lines of output, across restarts. */
  tail(lines = 40): string {
    return this.log.slice(-lines).join('\n');
  }

  private async waitHealthy(): Promise<void> {
    try {
      await waitFor(
        async () => {
          if (!this.alive) throw new Error(`${this.instanceId} exited while starting`);
          return (await fetch(`${this.url}/rest/health`).catch(() => null))?.status === 200;
        },
        { timeoutMs: HEALTHY_WITHIN_MS, intervalMs: 100, message: `${this.instanceId} healthy` },
      );
    } catch (error) {
      await this.kill();
      throw new Error(`${(error as Error).message}; its output:\n${this.tail()}`, {
        cause: error,
      });
    }
  }

  private keep(chunk: Buffer): void {
    const lines = chunk.toString('utf8').trimEnd().split('\n');
    this.log.push(...lines.filter((line) => !WIRING.test(line)));
    if (this.log.length > LOG_LINES_KEPT) this.log.splice(0, this.log.length - LOG_LINES_KEPT);
  }

  private note(message: string): void {
    this.log.push(`--- ${this.instanceId}: ${message} ---`);
  }
}
