import { keyedUniform } from '../src/shared/keyed-random';

/** One SIGKILL: when (the fraction of the invoices claimed), whom, and the pause before its restart. */
export interface KillStep {
  readonly kind: 'kill';
  readonly at: number;
  /** Index into the instances, 0-based. */
  readonly victim: number;
  readonly restartAfterMs: number;
}

/** A crash of PostgreSQL (`pg_ctl restart -m immediate`) at a progress point. */
export interface PgRestartStep {
  readonly kind: 'pg-restart';
  readonly at: number;
}

export type ChaosStep = KillStep | PgRestartStep;

export interface ChaosPlanInput {
  readonly seed: number;
  readonly instances: number;
  readonly kills: number;
  readonly pgRestart: boolean;
}

/** Kills land between these fractions of the invoices: after the run got going, before its tail. */
export const KILL_WINDOW = { from: 0.05, to: 0.9 } as const;
export const PG_RESTART_WINDOW = { from: 0.2, to: 0.7 } as const;
export const RESTART_DELAY_MS = { from: 100, to: 2_000 } as const;

/**
 * The seeded chaos of one run, in progress order: the same seed gives the same plan.
 * Each draw is keyed by what it is for (`kill-3`, stream 0/1/2), so adding a kill does
 * not move the others.
 */
export function chaosPlan({ seed, instances, kills, pgRestart }: ChaosPlanInput): ChaosStep[] {
  const draw = (key: string, stream: number) => keyedUniform(seed, key, stream);
  const between = (range: { from: number; to: number }, u: number) =>
    range.from + u * (range.to - range.from);
  const steps: ChaosStep[] = Array.from({ length: kills }, (_, i): KillStep => {
    const key = `kill-${i + 1}`;
    return {
      kind: 'kill',
      at: between(KILL_WINDOW, draw(key, 0)),
      victim: Math.floor(draw(key, 1) * instances),
      restartAfterMs: Math.round(between(RESTART_DELAY_MS, draw(key, 2))),
    };
  });
  if (pgRestart) {
    steps.push({ kind: 'pg-restart', at: between(PG_RESTART_WINDOW, draw('pg-restart', 0)) });
  }
  return steps.sort((a, b) => a.at - b.at);
}
