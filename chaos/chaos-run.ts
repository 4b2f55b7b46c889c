import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLedgerFile } from '../src/payments/simulated/read-ledger-file';
import { awaitSettled, type Statuses } from './await-settled';
import { findRun, startRun, waitForPending } from '../test/support/service/billing-api';
import { drive, type ChaosDone } from './chaos-driver';
import type { ChaosOptions } from './chaos-options';
import { chaosPlan, type ChaosStep } from './chaos-plan';
import { startProvider, type ChaosProvider } from './chaos-provider';
import { brokenRunReport, chaosReport, type ChaosReport } from './chaos-report';
import type { Cleanup } from './cleanup';
import { DeliveryProgress } from './delivery-progress';
import { inFlightAtKills, openSpans, readAttemptEvents } from './in-flight-at-kills';
import { readFaultLog } from './read-fault-log';
import { readUnknownEvents } from './read-unknown-events';
import { attributeUnknown } from './unknown-causes';
import { DEFAULT_PROVIDER_GATE_CONFIG } from '../src/config/provider-gate-config';
import { InstanceSupervisor } from './instance-supervisor';
import { readInvoiceLog } from '../test/support/service/invoice-log';
import { moneyFindings } from '../test/support/service/money-checks';
import { runCli, seedThroughCli, type CliResult } from '../test/support/service/run-cli';
import type { ServiceBuild } from '../test/support/service/service-build';
import { ServiceProcess, type Env } from '../test/support/service/service-process';
import { ThrowawayPostgres } from './throwaway-postgres';

export interface ChaosRunContext {
  readonly build: ServiceBuild;
  readonly log: (line: string) => void;
  readonly cleanup: Cleanup;
}

/** Everything a run needs once it is set up. */
interface Stage {
  readonly postgres: ThrowawayPostgres;
  readonly databaseUrl: string;
  readonly provider: ChaosProvider;
  /** The instances' (and the CLI's) environment. */
  readonly env: Env;
  readonly supervisor: InstanceSupervisor;
}

/** How the billing run went, for the verdict. */
interface Outcome {
  readonly startedAt: number;
  readonly invoices: readonly string[];
  readonly statuses: Statuses;
  readonly unsettled: string | null;
  readonly done: ChaosDone;
}

const POOL_SIZE = '5';
const PENDING_WITHIN_MS = 120_000;
const LOG_LINES_SAVED = 400;

/**
 * One chaos run, start to verdict. Whatever happens, it ends with a report (a run that
 * could not be carried out is not ok) and cleans up after itself; a run that is not ok
 * keeps its work directory (ledger, logs, PostgreSQL's data) as evidence.
 */
export async function runChaos(options: ChaosOptions, ctx: ChaosRunContext): Promise<ChaosReport> {
  const startedAt = Date.now();
  const run = new ChaosRun(options, ctx);
  let report: ChaosReport;
  try {
    report = await run.execute(startedAt);
  } catch (error) {
    report = brokenRunReport(options, startedAt, error, null);
  } finally {
    await run.shutdown();
  }
  run.keep = options.keep || !report.ok;
  if (run.keep) run.saveEvidence();
  ctx.cleanup.run();
  return { ...report, keptIn: run.keep ? run.workDir : null };
}

class ChaosRun {
  readonly workDir = mkdtempSync(join(tmpdir(), 'antaeus-chaos-'));
  keep: boolean;
  private readonly apiToken = randomBytes(16).toString('hex');
  // Set as they come up, so shutdown and the evidence find whatever got started.
  private postgres: ThrowawayPostgres | undefined;
  private provider: ChaosProvider | undefined;
  private supervisor: InstanceSupervisor | undefined;
  private audit: CliResult | undefined;

  constructor(
    private readonly options: ChaosOptions,
    private readonly ctx: ChaosRunContext,
  ) {
    this.keep = options.keep;
    ctx.cleanup.add('work directory', () => {
      if (!this.keep) rmSync(this.workDir, { recursive: true, force: true });
    });
    ctx.cleanup.add('PostgreSQL', () => this.postgres?.stop());
  }

  async execute(startedAt: number): Promise<ChaosReport> {
    const stage = await this.prepare();
    const [first] = stage.supervisor.instances;
    const invoices = await waitForPending(first, this.options.invoices, PENDING_WITHIN_MS);
    const runId = await startRun(first);
    this.ctx.log(`billing run ${runId} started`);
    const deadline = Date.now() + this.options.timeoutS * 1000;
    const done = await this.unleash(runId, stage, deadline);
    const { statuses, unsettled } = await awaitSettled({
      runId,
      invoices,
      deadline,
      anyUp: () => this.anyUp(),
      log: this.ctx.log,
    });
    return this.judge(stage, { startedAt, invoices, statuses, unsettled, done });
  }

  /** PostgreSQL, its database, the provider, the invoices, then the instances. */
  private async prepare(): Promise<Stage> {
    const { options, ctx } = this;
    ctx.log(`work directory ${this.workDir}`);
    const postgres = (this.postgres = await ThrowawayPostgres.start(this.workDir));
    ctx.log(`PostgreSQL on port ${postgres.port}`);
    const databaseUrl = await postgres.createDatabase('antaeus');
    const provider = (this.provider = await startProvider(options.simulator, {
      mode: options.provider,
      seed: options.seed,
      latencyMs: options.latencyMs,
      jitterMs: options.jitterMs,
      lookup: options.lookup,
      outages: options.outages,
      backgroundFaults: options.backgroundFaults,
      deadlineMs: options.providerDeadlineMs,
      dir: this.workDir,
      build: ctx.build,
    }));
    const env: Env = {
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: POOL_SIZE,
      ANTAEUS_API_TOKEN: this.apiToken,
      ANTAEUS_SEED: 'false',
      BILLING_CONCURRENCY: String(options.concurrency),
      BILLING_ATTEMPT_TIMEOUT: String(options.attemptTimeoutMs),
      ...provider.serviceEnv,
    };
    ctx.log(`seeding ${options.invoices} invoices`);
    await seedThroughCli(ctx.build, env, options.invoices);
    const supervisor = (this.supervisor = await this.startInstances(env));
    return { postgres, databaseUrl, provider, env, supervisor };
  }

  private async startInstances(env: Env): Promise<InstanceSupervisor> {
    const ids = Array.from({ length: this.options.instances }, (_, i) => `instance-${i + 1}`);
    this.ctx.log(`starting ${ids.length} instances`);
    const started = await Promise.allSettled(
      ids.map((id) => ServiceProcess.start(id, env, this.ctx.build)),
    );
    // Instances that did start are killed by ServiceProcess's exit hook.
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const instances = started.flatMap((result) =>
      result.status === 'fulfilled' ? [result.value] : [],
    );
    return new InstanceSupervisor(instances, this.ctx.log);
  }

  /** The seeded kills and PostgreSQL crash, as the run passes their progress points. */
  private async unleash(runId: string, stage: Stage, deadline: number): Promise<ChaosDone> {
    const plan = chaosPlan(this.options);
    this.ctx.log(`plan: ${plan.map(describeStep).join(', ') || 'nothing'}`);
    const done = await drive(plan, {
      invoices: this.options.invoices,
      deadline,
      // Every instance may be down at once (killed, restarts pending): no news this time.
      run: async () => {
        const up = stage.supervisor.anyUp();
        return up ? findRun(up, runId).catch(() => undefined) : undefined;
      },
      deliveries: new DeliveryProgress(stage.provider.ledgerFile, this.options.invoices),
      supervisor: stage.supervisor,
      postgres: stage.postgres,
      log: this.ctx.log,
    });
    await stage.supervisor.settled();
    return done;
  }

  /** Stops everything, reads the ledger and the log, audits, and gives the verdict. */
  private async judge(stage: Stage, outcome: Outcome): Promise<ChaosReport> {
    const { supervisor, provider } = stage;
    this.ctx.log('collecting the evidence');
    await supervisor.stopAll();
    await provider.stop();
    const { invoices, statuses } = outcome;
    const log = await readInvoiceLog(stage.databaseUrl);
    const kills = outcome.done.kills;
    const attempts = await readAttemptEvents(stage.databaseUrl);
    const inFlight = inFlightAtKills(attempts, kills);
    const ledger = readLedgerFile(provider.ledgerFile);
    const findings = moneyFindings({
      invoices,
      statuses,
      ledger,
      log,
      instances: supervisor.instances,
      provider: provider.traits,
    });
    const unknownCauses = attributeUnknown({
      unknownInvoices: statuses.UNKNOWN,
      unknownEvents: await readUnknownEvents(stage.databaseUrl),
      spans: openSpans(attempts),
      kills,
      restarts: [...supervisor.upAgain],
      pgRestarts: outcome.done.pgCrashes,
      ledger: ledger.entries,
      faults: readFaultLog(provider.faultLogFile),
      instances: this.options.instances,
      concurrency: this.options.concurrency,
      breaker: DEFAULT_PROVIDER_GATE_CONFIG,
      providerTimeoutMs: provider.timeoutMs,
    });
    this.ctx.log('auditing the log');
    this.audit = await runCli(this.ctx.build, stage.env, ['audit']);
    return chaosReport({
      options: this.options,
      startedAt: outcome.startedAt,
      endedAt: Date.now(),
      kills: kills.length,
      inFlightAtKills: inFlight,
      unknownCauses,
      pgRestarts: outcome.done.pgRestarts,
      unsettled: outcome.unsettled && `${outcome.unsettled} (--timeout-s ${this.options.timeoutS})`,
      counts: {
        paid: statuses.PAID.length,
        failed: statuses.FAILED.length,
        unknown: statuses.UNKNOWN.length,
        failedNetwork: statuses.FAILED.filter((id) => log.failures.get(id) === 'NETWORK').length,
      },
      findings,
      audit: this.audit,
      unexpectedExits: supervisor.unexpectedExits,
      restartFailures: supervisor.restartFailures,
      skippedSteps: outcome.done.skipped.length,
      keptIn: null,
    });
  }

  private anyUp(): ServiceProcess {
    const instance = this.supervisor?.anyUp();
    if (!instance) throw new Error('no instance is up to ask');
    return instance;
  }

  /** The instances' and the simulator's last output, and the audit's, into the work directory. */
  saveEvidence(): void {
    for (const instance of this.supervisor?.instances ?? []) {
      const file = join(this.workDir, `${instance.instanceId}.log`);
      writeFileSync(file, instance.tail(LOG_LINES_SAVED));
    }
    if (this.provider) writeFileSync(join(this.workDir, 'provider.log'), this.provider.tail());
    if (this.audit) writeFileSync(join(this.workDir, 'audit.txt'), this.audit.output);
  }

  async shutdown(): Promise<void> {
    await this.supervisor?.stopAll();
    await this.provider?.stop();
  }
}

function describeStep(step: ChaosStep): string {
  const at = `${(100 * step.at).toFixed(0)}%`;
  return step.kind === 'kill'
    ? `kill instance-${step.victim + 1} at ${at}`
    : `PostgreSQL crash at ${at}`;
}
