import type { BillingAtScale } from './billing-at-scale';
import type { PageLoad, RestUnderLoad } from './rest-under-load';

export interface ScaleTarget {
  readonly description: string;
  readonly value: number | null;
  readonly unit: string;
  readonly goal: number;
  /** null when the figure is missing. */
  readonly met: boolean | null;
  readonly note?: string;
}

/** Issue 6's targets: 1M invoices in < 5 min, peak RSS < 512 MB, lag p99 < 1 s, REST p99 < 25 ms. */
export const GOALS = {
  secondsPerMillion: 300,
  peakRssMb: 512,
  lagP99Ms: 1_000,
  restP99Ms: 25,
  /** A latency counts only at the rate asked for: at least this share of it achieved. */
  restRateShare: 0.95,
} as const;

export function scaleTargets(billing: BillingAtScale, rest: RestUnderLoad | null): ScaleTarget[] {
  const { run, lag } = billing;
  const goalSeconds = (GOALS.secondsPerMillion * run.invoices) / 1_000_000;
  const peakRss = Math.max(run.peakRssMb, Number.isNaN(run.cliPeakRssMb) ? 0 : run.cliPeakRssMb);
  const lagP99 = lag.lagMs?.p99 ?? null;
  return [
    {
      description: `billing run of ${run.invoices.toLocaleString('en-US')} invoices < ${goalSeconds.toLocaleString('en-US')} s (5 min per 1M)`,
      value: run.seconds,
      unit: 's',
      goal: goalSeconds,
      met: run.seconds < goalSeconds,
    },
    {
      description: `peak RSS of the billing process < ${GOALS.peakRssMb} MB`,
      value: peakRss,
      unit: 'MB',
      goal: GOALS.peakRssMb,
      met: peakRss < GOALS.peakRssMb,
    },
    {
      description: 'projection lag p99 < 1 s',
      value: lagP99,
      unit: 'ms',
      goal: GOALS.lagP99Ms,
      met: lagP99 === null ? null : lagP99 < GOALS.lagP99Ms,
    },
    restTarget('first page', rest?.firstPage ?? null),
    restTarget('deep page', rest?.deepPage ?? null),
  ];
}

function restTarget(label: string, load: PageLoad | null): ScaleTarget {
  const description = `REST p99 < ${GOALS.restP99Ms} ms, ${label}`;
  if (!load) return { description, value: null, unit: 'ms', goal: GOALS.restP99Ms, met: null };
  const { achievedRate, requestedRate, non2xx, errors, timeouts } = load.measured;
  const p99 = load.measured.latencyMs?.p99 ?? null;
  if (p99 === null) {
    const note = `no 2xx response: ${non2xx} non-2xx, ${errors} errors (${timeouts} timeouts)`;
    return { description, value: null, unit: 'ms', goal: GOALS.restP99Ms, met: false, note };
  }
  const kept = achievedRate >= GOALS.restRateShare * requestedRate && non2xx + errors === 0;
  return {
    description,
    value: p99,
    unit: 'ms',
    goal: GOALS.restP99Ms,
    met: p99 < GOALS.restP99Ms && kept,
    note: kept
      ? undefined
      : `${Math.round(achievedRate)} of ${requestedRate} requests/s, ${non2xx} non-2xx, ${errors} errors (${timeouts} timeouts)`,
  };
}
