import { loadavg } from 'node:os';
import type { Client } from 'pg';
import { every } from './every';
import { processUsage } from './process-usage';
import { projectionLags, type ProjectionLag } from './projection-lag';

export const LAG_SAMPLE_MS = 200;
export const PROGRESS_SAMPLE_MS = 1_000;

export interface LagSample {
  readonly at: bigint;
  readonly lags: readonly ProjectionLag[];
  /** How long the sample's query took: a slow one stretches the sampling interval. */
  readonly queryMs: number;
}

export interface ProgressSample {
  readonly at: bigint;
  /** Paid + failed + unknown, from the billing_runs read model's counts. */
  readonly settled: number;
  readonly rssMb: number | null;
  /** The process's CPU time so far (user + system), seconds. */
  readonly cpuSeconds: number | null;
  /** The machine's 1-minute load average: other work shows here. */
  readonly loadAverage: number;
}

const SETTLED_SQL =
  'SELECT coalesce(sum(paid + failed + unknown), 0) AS settled FROM billing_run_counts';

/**
 * Watches a billing process from outside, each series on a connection of its own:
 * projection lag every LAG_SAMPLE_MS; settled invoices, the process's RSS and CPU time
 * and the machine's load every PROGRESS_SAMPLE_MS; and the process's peak RSS (VmHWM)
 * at every sample of either, so the last one before it exits holds the peak.
 */
export class RunObserver {
  readonly lagSamples: LagSample[] = [];
  readonly progressSamples: ProgressSample[] = [];
  peakRssMb = 0;
  private stops: (() => Promise<void>)[] = [];

  constructor(
    private readonly lagClient: Client,
    private readonly progressClient: Client,
    private readonly onProgress: (sample: ProgressSample, lagMs: number) => void = () => {},
  ) {}

  start(pid: number): void {
    const usage = async () => {
      const now = await processUsage(pid);
      if (now) this.peakRssMb = Math.max(this.peakRssMb, now.peakMb, now.rssMb);
      return now;
    };
    this.stops.push(
      every(LAG_SAMPLE_MS, async () => {
        const at = process.hrtime.bigint();
        const lags = await projectionLags(this.lagClient);
        const queryMs = Number(process.hrtime.bigint() - at) / 1e6;
        await usage();
        this.lagSamples.push({ at, lags, queryMs });
      }),
      every(PROGRESS_SAMPLE_MS, async () => {
        const at = process.hrtime.bigint();
        const { rows } = await this.progressClient.query<{ settled: string }>(SETTLED_SQL);
        const now = await usage();
        const sample = {
          at,
          settled: Number(rows[0].settled),
          rssMb: now?.rssMb ?? null,
          cpuSeconds: now?.cpuSeconds ?? null,
          loadAverage: loadavg()[0],
        };
        this.progressSamples.push(sample);
        const lag = this.lagSamples.at(-1)?.lags ?? [];
        this.onProgress(sample, Math.max(0, ...lag.map((each) => each.lagMs)));
      }),
    );
  }

  async stop(): Promise<void> {
    const stops = this.stops;
    this.stops = [];
    await Promise.all(stops.map((stop) => stop()));
  }
}
