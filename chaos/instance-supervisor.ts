import type { ServiceProcess } from '../test/support/service/service-process';

type State = 'up' | 'down' | 'starting';

const RESTART_ATTEMPTS = 5;
const RETRY_PAUSE_MS = 2_000;
const CRASH_RESTART_PAUSE_MS = 1_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Plays the orchestrator for the instances of a chaos run: kills on request and
 * restarts after a pause, and restarts an instance that exits on its own too, noting
 * it, since a crash nobody asked for is news. A restart that fails (PostgreSQL may be
 * down just then) is tried again.
 */
export class InstanceSupervisor {
  /** Exits nobody asked for, as sentences. */
  readonly unexpectedExits: string[] = [];
  /** Instances that could not be started again. */
  readonly restartFailures: string[] = [];
  /** Each restart that worked: whom, and when it was up again (epoch milliseconds). */
  readonly upAgain: { readonly instanceId: string; readonly at: number }[] = [];
  private readonly states = new Map<ServiceProcess, State>();
  private readonly restarts = new Map<ServiceProcess, Promise<void>>();
  private stopping = false;

  constructor(
    readonly instances: readonly ServiceProcess[],
    private readonly progress: (line: string) => void,
  ) {
    for (const instance of instances) {
      this.states.set(instance, 'up');
      instance.onExit = (pid, how) => this.exited(instance, pid, how);
    }
  }

  /** Resolves once `instance` is up (at once unless it is being restarted). */
  async whenUp(instance: ServiceProcess): Promise<void> {
    await this.restarts.get(instance);
  }

  /** SIGKILL now; a restart with the same instance id follows after `restartAfterMs`. */
  async kill(instance: ServiceProcess, restartAfterMs: number): Promise<void> {
    this.states.set(instance, 'down');
    await instance.kill('SIGKILL');
    this.scheduleRestart(instance, restartAfterMs);
  }

  /** Resolves when no restart is pending. */
  async settled(): Promise<void> {
    while (this.restarts.size > 0) await Promise.all(this.restarts.values());
  }

  /** An instance that is up, for the REST API. */
  anyUp(): ServiceProcess | undefined {
    return this.instances.find((instance) => this.states.get(instance) === 'up' && instance.alive);
  }

  /** Kills every instance (kill -9: the run is over, nothing is left to finish). */
  async stopAll(): Promise<void> {
    this.stopping = true;
    await this.settled();
    await Promise.all(this.instances.map((instance) => instance.kill('SIGKILL')));
  }

  private exited(instance: ServiceProcess, pid: number, how: string): void {
    if (this.stopping || this.states.get(instance) !== 'up') return;
    this.states.set(instance, 'down');
    const what = `${instance.instanceId} (pid ${pid}) exited on its own (${how})`;
    this.unexpectedExits.push(what);
    this.progress(`${what}; restarting it`);
    this.scheduleRestart(instance, CRASH_RESTART_PAUSE_MS);
  }

  private scheduleRestart(instance: ServiceProcess, afterMs: number): void {
    const restart = this.restart(instance, afterMs).finally(() => this.restarts.delete(instance));
    this.restarts.set(instance, restart);
  }

  private async restart(instance: ServiceProcess, afterMs: number): Promise<void> {
    await sleep(afterMs);
    for (let attempt = 1; attempt <= RESTART_ATTEMPTS && !this.stopping; attempt++) {
      this.states.set(instance, 'starting');
      const startedAt = Date.now();
      try {
        await instance.restart();
        this.states.set(instance, 'up');
        this.upAgain.push({ instanceId: instance.instanceId, at: Date.now() });
        this.progress(
          `${instance.instanceId} up again (pid ${instance.pid}, ${Date.now() - startedAt} ms)`,
        );
        return;
      } catch (error) {
        this.states.set(instance, 'down');
        const message = (error as Error).message.split('\n')[0];
        this.progress(`${instance.instanceId} failed to start (attempt ${attempt}): ${message}`);
        await sleep(RETRY_PAUSE_MS);
      }
    }
    if (!this.stopping) this.restartFailures.push(instance.instanceId);
  }
}
