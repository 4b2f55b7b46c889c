import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { InvalidArgumentError } from 'commander';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import {
  BILLING_RUN_PROGRESS,
  PROJECTION_STATUS,
  type BillingRunProgress,
  type ProjectionStatus,
} from '../../billing/engine/billing-read-model.port';
import { StartBillingRunCommand } from '../../billing/commands/start-billing-run.command';
import { isBillingPeriod } from '../../billing/domain';
import { BillingEngine } from '../../billing/engine/billing-engine';
import { ProjectionWaitTimeoutError } from '../../billing/engine/projection-wait-timeout.error';
import { ProviderGate, type ProviderStatus } from '../../billing/engine/provider/provider-gate';
import type { Position } from '../../event-store/position';
import { SimulatedPaymentProvider } from '../../payments/simulated/simulated-payment-provider';
import type { CallsInFlightReading } from '../../payments/simulated/calls-in-flight';
import { INVOICE_COUNTS, type InvoiceCounts } from '../invoice-counts.port';
import { ProgressBar } from '../progress-bar';

interface BillingRunOptions {
  period?: string;
}

const PROGRESS_INTERVAL_MS = 500;
const PROJECTION_NOTE_MS = 60_000;

@SubCommand({
  name: 'run',
  description: 'Start a billing run now (or the run of --period YYYY-MM) and work it to the end',
})
export class BillingRunSubCommand extends CommandRunner {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly engine: BillingEngine,
    @Inject(INVOICE_COUNTS) private readonly invoices: InvoiceCounts,
    @Inject(BILLING_RUN_PROGRESS) private readonly runs: BillingRunProgress,
    @Inject(PROJECTION_STATUS) private readonly projections: ProjectionStatus,
    private readonly gate: ProviderGate,
    // Null unless the provider is the in-process simulator.
    @Inject(SimulatedPaymentProvider) private readonly simulator: SimulatedPaymentProvider | null,
  ) {
    super();
  }

  async run(_args: string[], options: BillingRunOptions): Promise<void> {
    const period = options.period ?? null;
    const started = await this.commandBus.execute(
      new StartBillingRunCommand(period ? 'scheduled' : 'manual', period),
    );
    if (started.position) await this.readModelsAt(started.position);
    const before = await this.invoices.countByStatus();
    const total = before.PENDING + before.PROCESSING;
    console.log(
      `${started.started ? 'Started' : 'Joined'} billing run ${started.runId}: ${total} invoices to charge`,
    );

    const bar = new ProgressBar('billing', 'invoices', total);
    const callsAtStart = this.simulator?.callsInFlight.read() ?? null;
    const startedAt = Date.now();
    let peakRss = process.memoryUsage().rss;
    const progress = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      void this.runs.get(started.runId).then((view) => {
        const note = waitingFor(this.gate.status());
        if (view)
          bar.update(view.counts.paid + view.counts.failed + view.counts.unknown, total, note);
      });
    }, PROGRESS_INTERVAL_MS);
    let result: Awaited<ReturnType<BillingEngine['workRun']>>;
    try {
      result = await this.engine.workRun(started.runId);
    } finally {
      clearInterval(progress);
    }
    const seconds = (Date.now() - startedAt) / 1000;
    const view = await this.runs.get(started.runId);
    if (view) bar.update(view.counts.paid + view.counts.failed + view.counts.unknown, total);
    bar.stop();
    peakRss = Math.max(peakRss, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
    const after = await this.invoices.countByStatus();
    const counts = view?.counts ?? { processing: 0, paid: 0, failed: 0, unknown: 0 };
    const settled = counts.paid + counts.failed + counts.unknown;
    console.log(
      [
        `Billing run ${started.runId}: ${result} in ${seconds.toFixed(1)} s`,
        `  this run:  ${counts.paid} paid, ${counts.failed} failed, ${counts.unknown} unknown, ${counts.processing} still processing`,
        `  rate:      ${Math.round(settled / Math.max(seconds, 0.001))} invoices/s; peak RSS ${Math.round(peakRss / 1024 / 1024)} MB`,
        `  invoices:  ${formatCounts(after)}`,
        ...(callsAtStart && this.simulator
          ? [callsLine(callsAtStart, this.simulator.callsInFlight.read(), seconds)]
          : []),
      ].join('\n'),
    );
    if (result !== 'completed' && result !== 'already-completed') process.exitCode = 1;
  }

  /**
   * Waits until the read models show the run's start: after a large seed they may have a
   * backlog of minutes to fold. No deadline while they move; a note every minute.
   */
  private async readModelsAt(position: Position): Promise<void> {
    for (;;) {
      try {
        return await this.projections.waitFor(position, PROJECTION_NOTE_MS);
      } catch (error) {
        if (!(error instanceof ProjectionWaitTimeoutError)) throw error;
        console.error(`Waiting for the read models to catch up: ${error.message}`);
      }
    }
  }

  @Option({
    flags: '--period <YYYY-MM>',
    description: "the period's scheduled run (default: a manual run)",
  })
  parsePeriod(value: string): string {
    if (!isBillingPeriod(value))
      throw new InvalidArgumentError(`--period must be YYYY-MM, got "${value}"`);
    return value;
  }
}

@Command({ name: 'billing', description: 'Billing runs', subCommands: [BillingRunSubCommand] })
export class BillingCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
  }
}

/** What the progress line says the run waits for; null when it does not wait. */
export function waitingFor(provider: ProviderStatus): string | null {
  if (provider.state === 'unavailable') {
    return `provider unavailable, waiting (since ${provider.since})`;
  }
  if (provider.state === 'backing-off') return `provider asked to back off until ${provider.until}`;
  return null;
}

/**
 * What the concurrency achieved at the in-process simulator: the most calls it held at
 * once, and the mean over the run (the calls' summed time over the run's).
 */
function callsLine(
  start: CallsInFlightReading,
  end: CallsInFlightReading,
  seconds: number,
): string {
  const mean = (end.callMs - start.callMs) / 1000 / Math.max(seconds, 0.001);
  return `  provider:  ${end.peak} calls in flight at most, ${mean.toFixed(1)} on average (the simulator's count)`;
}

export function formatCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([status, count]) => `${count} ${status}`)
    .join(', ');
}
