import { distribution, type Distribution } from './percentiles';
import type { LagSample, ProgressSample } from './run-observer';

/** Seconds from `origin` (process.hrtime.bigint()) to `at`; negative before it. */
const secondsFrom = (origin: bigint, at: bigint): number => Number(at - origin) / 1e9;

const round = (value: number, digits = 3): number => Number(value.toFixed(digits));

export interface ProgressPoint {
  /** Seconds since the run's "Started billing run" line. */
  readonly t: number;
  readonly settled: number;
  readonly rssMb: number | null;
  readonly cpuSeconds: number | null;
  readonly loadAverage: number | null;
}

export interface RateWindow {
  readonly fromS: number;
  readonly toS: number;
  readonly invoicesPerSecond: number;
  /** The billing process's CPU time over the window, % of one core; null if unknown. */
  readonly cpuPercent: number | null;
}

/** The settled-count series of the run, ending with the CLI's own final count. */
export function progressPoints(
  samples: readonly ProgressSample[],
  startedAt: bigint,
  runSeconds: number,
  finalSettled: number,
): ProgressPoint[] {
  const points = samples
    .map((s) => ({
      t: round(secondsFrom(startedAt, s.at)),
      settled: s.settled,
      rssMb: s.rssMb === null ? null : Math.round(s.rssMb),
      cpuSeconds: s.cpuSeconds,
      loadAverage: s.loadAverage,
    }))
    .filter((p) => p.t >= 0 && p.t <= runSeconds);
  return [
    { t: 0, settled: 0, rssMb: null, cpuSeconds: null, loadAverage: null },
    ...points,
    {
      t: round(runSeconds),
      settled: finalSettled,
      rssMb: null,
      cpuSeconds: null,
      loadAverage: null,
    },
  ];
}

/** Invoices/s in consecutive windows of `width` seconds, between the samples nearest below. */
export function rateWindows(points: readonly ProgressPoint[], width: number): RateWindow[] {
  const end = points[points.length - 1].t;
  const atOrBefore = (t: number): ProgressPoint =>
    points.filter((p) => p.t <= t + 1e-9).at(-1) ?? points[0];
  const windows: RateWindow[] = [];
  for (let from = 0; from < end; from += width) {
    const a = atOrBefore(from);
    const b = atOrBefore(Math.min(from + width, end));
    const seconds = b.t - a.t;
    windows.push({
      fromS: from,
      toS: round(Math.min(from + width, end), 1),
      invoicesPerSecond: seconds > 0 ? Math.round((b.settled - a.settled) / seconds) : 0,
      cpuPercent: cpuPercent(points.filter((p) => p.t >= a.t && p.t <= b.t)),
    });
  }
  return windows;
}

/** The 1-minute load average's lowest and highest reading over the points. */
export function loadRange(points: readonly ProgressPoint[]): readonly number[] {
  const loads = points.flatMap((p) => (p.loadAverage === null ? [] : [p.loadAverage]));
  return loads.length === 0 ? [] : [Math.min(...loads), Math.max(...loads)];
}

/** CPU time over wall time between the first and the last point that know it, in %. */
export function cpuPercent(points: readonly ProgressPoint[]): number | null {
  const known = points.filter((p) => p.cpuSeconds !== null);
  if (known.length < 2) return null;
  const [a, b] = [known[0], known[known.length - 1]];
  return Math.round((100 * ((b.cpuSeconds ?? 0) - (a.cpuSeconds ?? 0))) / (b.t - a.t));
}

export interface LagPoint {
  readonly t: number;
  /** The slowest projection's lag (see ProjectionLag.lagMs), ms. */
  readonly lagMs: number;
  /** The oldest committed event not yet in every read model, its age in ms. */
  readonly oldestWaitingMs: number;
  readonly slowest: string | null;
  /** The slowest projection's events behind (roughly; see ProjectionLag.eventsBehind). */
  readonly eventsBehind: number;
}

export interface ProjectionLagSummary {
  readonly lagMs: Distribution | null;
  /** Share of the samples in which this projection was the one furthest behind. */
  readonly slowestShare: number;
  readonly maxEventsBehind: number;
}

export interface LagSummary {
  readonly sampleMs: number;
  /** The intervals the samples were actually taken at, and their queries' times. */
  readonly sampling: {
    readonly intervalMs: Distribution | null;
    readonly queryMs: Distribution | null;
  };
  /** Of the samples taken while the run was timed (from its start line to its summary). */
  readonly lagMs: Distribution | null;
  readonly oldestWaitingMs: Distribution | null;
  readonly byProjection: Readonly<Record<string, ProjectionLagSummary>>;
  /** Before the start line: the CLI folds the seed's backlog into its read models. */
  readonly beforeStart: { readonly seconds: number; readonly maxLagMs: number };
  readonly series: readonly LagPoint[];
}

export function lagSummary(
  samples: readonly LagSample[],
  spawnedAt: bigint,
  startedAt: bigint,
  runSeconds: number,
  sampleMs: number,
): LagSummary {
  const points = samples.map((sample) => lagPoint(sample, startedAt));
  const inRun = points.filter((p) => p.t >= 0 && p.t <= runSeconds);
  const runSamples = samples.filter((_, i) => points[i].t >= 0 && points[i].t <= runSeconds);
  const names = [...new Set(samples.flatMap((s) => s.lags.map((l) => l.name)))].sort();
  const byProjection = Object.fromEntries(
    names.map((name) => {
      const mine = runSamples.flatMap((s) => s.lags.filter((l) => l.name === name));
      const slowest = inRun.filter((p) => p.slowest === name).length;
      return [
        name,
        {
          lagMs: distribution(mine.map((l) => l.lagMs)),
          slowestShare: inRun.length > 0 ? round(slowest / inRun.length) : 0,
          maxEventsBehind: Math.max(0, ...mine.map((l) => l.eventsBehind)),
        },
      ];
    }),
  );
  const gaps = inRun.slice(1).map((p, i) => round((p.t - inRun[i].t) * 1000, 1));
  return {
    sampleMs,
    sampling: {
      intervalMs: distribution(gaps),
      queryMs: distribution(runSamples.map((s) => round(s.queryMs, 1))),
    },
    lagMs: distribution(inRun.map((p) => p.lagMs)),
    oldestWaitingMs: distribution(inRun.map((p) => p.oldestWaitingMs)),
    byProjection,
    beforeStart: {
      seconds: round(secondsFrom(spawnedAt, startedAt)),
      maxLagMs: Math.max(0, ...points.filter((p) => p.t < 0).map((p) => p.lagMs)),
    },
    series: points,
  };
}

function lagPoint(sample: LagSample, startedAt: bigint): LagPoint {
  let slowest: string | null = null;
  let lagMs = 0;
  let oldestWaitingMs = 0;
  let eventsBehind = 0;
  for (const lag of sample.lags) {
    if (lag.lagMs > lagMs) [slowest, lagMs, eventsBehind] = [lag.name, lag.lagMs, lag.eventsBehind];
    oldestWaitingMs = Math.max(oldestWaitingMs, lag.oldestWaitingMs);
  }
  return {
    t: round(secondsFrom(startedAt, sample.at)),
    lagMs: round(lagMs, 1),
    oldestWaitingMs: round(oldestWaitingMs, 1),
    slowest,
    eventsBehind,
  };
}
