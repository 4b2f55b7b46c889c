import { Logger, makeWorkerUtils, run, type AddJobsJobSpec } from 'graphile-worker';
import { Client } from 'pg';
import { cpuUse, CpuMeter } from '../cpu/cpu-meter';
import { measurement, secondsSince, type Measurement } from '../measurement';
import { ENQUEUE_CHUNK, GRAPHILE_WORKER_TUNING } from '../settings';
import {
  charge,
  chargeJobs,
  checkLedger,
  Countdown,
  settled,
  simulatedProvider,
  type ChargeJob,
} from './charge-job';

const TASK = 'charge_invoice';

// Failed jobs are expected (about one in ten): the default logger would print each.
const silentLogger = new Logger(() => () => undefined);

/**
 * N charge jobs enqueued up front (not timed), then timed from the runner's start until
 * every job is recorded: completed jobs deleted, failed ones kept with their one and
 * only attempt used (max_attempts 1: at most once, never retried).
 */
export async function graphileWorkerBilling(
  connectionString: string,
  invoices: number,
  latencyMs: number,
): Promise<Measurement> {
  const utils = await makeWorkerUtils({ connectionString, logger: silentLogger });
  try {
    await utils.migrate();
    const jobs = chargeJobs(invoices);
    for (let i = 0; i < jobs.length; i += ENQUEUE_CHUNK) {
      const specs: AddJobsJobSpec[] = jobs
        .slice(i, i + ENQUEUE_CHUNK)
        .map((job) => ({ identifier: TASK, payload: job, maxAttempts: 1 }));
      await utils.addJobs(specs);
    }
  } finally {
    await utils.release();
  }

  const provider = simulatedProvider(latencyMs);
  const handlers = new Countdown(invoices);
  const probe = new Client({ connectionString });
  await probe.connect();
  try {
    const meter = await CpuMeter.open(connectionString);
    const cpuAtStart = meter.read();
    const started = process.hrtime.bigint();
    const runner = await run({
      noHandleSignals: true,
      logger: silentLogger,
      crontab: '',
      taskList: {
        [TASK]: async (payload) => {
          try {
            await charge(provider, payload as ChargeJob);
          } finally {
            handlers.tick();
          }
        },
      },
      preset: { worker: { connectionString, ...GRAPHILE_WORKER_TUNING } },
    });
    await handlers.done;
    const handlersSeconds = secondsSince(started);
    await settled(() => unrecorded(probe));
    const seconds = secondsSince(started);
    const cpu = cpuUse(cpuAtStart, meter.read(), invoices);
    await runner.stop();
    const failed = await countRows(probe, 'SELECT count(*) FROM graphile_worker.jobs');
    return measurement(
      invoices,
      seconds,
      {
        handlersSeconds,
        completed: invoices - failed,
        failed,
        ledger: checkLedger(provider, invoices),
        outcomes: provider.ledger.countsByOutcome(),
      },
      cpu,
    );
  } finally {
    await probe.end();
  }
}

/** Jobs not yet done: still queued or locked, or failed but not yet released. */
function unrecorded(client: Client): Promise<number> {
  return countRows(
    client,
    'SELECT count(*) FROM graphile_worker.jobs WHERE locked_at IS NOT NULL OR attempts < max_attempts',
  );
}

async function countRows(client: Client, sql: string): Promise<number> {
  const { rows } = await client.query<{ count: string }>(sql);
  return Number(rows[0].count);
}
