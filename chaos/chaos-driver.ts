import type { RunView } from '../test/support/service/billing-api';
import type { ChaosStep, KillStep } from './chaos-plan';
import type { DeliveryProgress } from './delivery-progress';
import type { KillMark } from './in-flight-at-kills';
import type { InstanceSupervisor } from './instance-supervisor';
import type { ThrowawayPostgres } from './throwaway-postgres';

/** How long a victim may take to make its next charge before it is killed regardless. */
const VICTIM_CHARGE_WAIT_MS = 3_000;
const POLL_MS = 100;

export interface ChaosDriverContext {
  readonly invoices: number;
  /** When to give up waiting for a progress point (the run's --timeout-s). */
  readonly deadline: number;
  /** The run as the read models show it now; undefined when no instance can say. */
  readonly run: () => Promise<RunView | undefined>;
  readonly deliveries: DeliveryProgress;
  readonly supervisor: InstanceSupervisor;
  readonly postgres: ThrowawayPostgres;
  readonly log: (line: string) => void;
}

export interface ChaosDone {
  /** Each kill carried out: whom, and when SIGKILL was sent. */
  readonly kills: readonly KillMark[];
  readonly pgRestarts: number;
  /** When each PostgreSQL crash was started (epoch milliseconds). */
  readonly pgCrashes: readonly number[];
  /** Steps not carried out: the run ended (or the deadline passed) before their point. */
  readonly skipped: readonly ChaosStep[];
}

/** Carries out the plan, step by step, as the run passes each step's progress point. */
export async function drive(
  plan: readonly ChaosStep[],
  ctx: ChaosDriverContext,
): Promise<ChaosDone> {
  const kills: KillMark[] = [];
  const pgCrashes: number[] = [];
  for (const [index, step] of plan.entries()) {
    const reached = await reach(step.at, ctx);
    if (reached !== 'reached') {
      const why = reached === 'ended' ? 'the run ended' : 'the deadline passed';
      const at = `${(100 * step.at).toFixed(0)}% claimed`;
      ctx.log(`${why} before ${at}: ${plan.length - index} step(s) skipped`);
      return { kills, pgRestarts: pgCrashes.length, pgCrashes, skipped: plan.slice(index) };
    }
    if (step.kind === 'kill') {
      kills.push(await kill(step, ctx));
    } else {
      ctx.log(
        `crash-restarting PostgreSQL at ${(100 * step.at).toFixed(0)}% claimed, ${ctx.deliveries.describe()}`,
      );
      const startedAt = Date.now();
      await ctx.postgres.crashRestart();
      pgCrashes.push(startedAt);
      ctx.log(`PostgreSQL is back (${Date.now() - startedAt} ms)`);
    }
  }
  return { kills, pgRestarts: pgCrashes.length, pgCrashes, skipped: [] };
}

/**
 * Waits until the run has claimed `fraction` of the invoices (attempts PAID, FAILED,
 * UNKNOWN or in flight), unless it completes or the deadline passes first. Claims, not deliveries: the
 * claims a killed instance held never reach the provider (the sweep ends them), so a
 * share of deliveries might never be reached.
 */
async function reach(
  fraction: number,
  ctx: ChaosDriverContext,
): Promise<'reached' | 'ended' | 'deadline'> {
  while (Date.now() < ctx.deadline) {
    const run = await ctx.run();
    if (run !== undefined) {
      const { processing, paid, failed, unknown } = run.counts;
      if (processing + paid + failed + unknown >= fraction * ctx.invoices) return 'reached';
      if (run.status === 'COMPLETED') return 'ended';
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return 'deadline';
}

/** Kills the victim right after its next charge (the answer may not be recorded yet). */
async function kill(step: KillStep, ctx: ChaosDriverContext): Promise<KillMark> {
  const victim = ctx.supervisor.instances[step.victim];
  await ctx.supervisor.whenUp(victim);
  const key = await ctx.deliveries.nextChargeBy(victim, VICTIM_CHARGE_WAIT_MS);
  const when = key
    ? `right after charging ${key}`
    : `(no charge of its own within ${VICTIM_CHARGE_WAIT_MS} ms)`;
  ctx.log(
    `SIGKILL ${victim.instanceId} (pid ${victim.pid}) at ${(100 * step.at).toFixed(0)}% claimed, ${ctx.deliveries.describe()}, ${when}; restart in ${step.restartAfterMs} ms`,
  );
  const at = Date.now();
  await ctx.supervisor.kill(victim, step.restartAfterMs);
  return { instanceId: victim.instanceId, at };
}
