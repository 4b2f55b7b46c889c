import PgBoss from 'pg-boss';
import { cpuUse, CpuMeter } from '../cpu/cpu-meter';
import { measurement, secondsSince, type Measurement } from '../measurement';
import { ENQUEUE_CHUNK, PG_BOSS_TUNING } from '../settings';
import {
  charge,
  chargeJobs,
  checkLedger,
  Countdown,
  settled,
  simulatedProvider,
  type ChargeJob,
} from './charge-job';

const QUEUE = 'charge-invoice';

/**
 * N charge jobs inserted up front (not timed) in a queue with retryLimit 0 (at most once),
 * then timed from the first worker's start until no job is left created or active.
 * A batch's declined or failed charges are failed by id; pg-boss completes the rest.
 */
export async function pgBossBilling(
  connectionString: string,
  invoices: number,
  latencyMs: number,
): Promise<Measurement> {
  const { workers, batchSize, pollingIntervalSeconds } = PG_BOSS_TUNING;
  const boss = new PgBoss({
    connectionString,
    max: Math.max(10, 2 * workers + 2),
    retryLimit: 0,
    schedule: false,
  });
  const errors: Error[] = [];
  boss.on('error', (error) => errors.push(error));
  await boss.start();
  try {
    await boss.createQueue(QUEUE, { name: QUEUE, retryLimit: 0 });
    const jobs = chargeJobs(invoices);
    for (let i = 0; i < jobs.length; i += ENQUEUE_CHUNK) {
      await boss.insert(
        jobs.slice(i, i + ENQUEUE_CHUNK).map((data) => ({ name: QUEUE, data, retryLimit: 0 })),
      );
    }

    const provider = simulatedProvider(latencyMs);
    const handlers = new Countdown(invoices);
    const ids: string[] = [];
    const meter = await CpuMeter.open(connectionString);
    const cpuAtStart = meter.read();
    const started = process.hrtime.bigint();
    for (let w = 0; w < workers; w++) {
      const id = await boss.work<ChargeJob>(
        QUEUE,
        { batchSize, pollingIntervalSeconds },
        async (batch) => {
          const outcomes = await Promise.allSettled(batch.map((job) => charge(provider, job.data)));
          const failed = batch.filter((_, i) => outcomes[i].status === 'rejected').map((j) => j.id);
          if (failed.length > 0) await boss.fail(QUEUE, failed);
          for (let i = 0; i < batch.length; i++) handlers.tick();
          // A batch that held jobs means more may wait: fetch again now, not after the interval.
          if (ids[w] !== undefined) boss.notifyWorker(ids[w]);
        },
      );
      ids[w] = id;
      boss.notifyWorker(id);
    }
    await handlers.done;
    const handlersSeconds = secondsSince(started);
    await settled(() => boss.getQueueSize(QUEUE, { before: 'completed' }));
    const seconds = secondsSince(started);
    const cpu = cpuUse(cpuAtStart, meter.read(), invoices);
    await boss.offWork(QUEUE);
    if (errors.length > 0) throw new Error(`pg-boss reported ${errors[0].message}`);
    const counts = await countByState(boss);
    return measurement(
      invoices,
      seconds,
      {
        handlersSeconds,
        completed: counts.completed ?? 0,
        failed: counts.failed ?? 0,
        ledger: checkLedger(provider, invoices),
        outcomes: provider.ledger.countsByOutcome(),
      },
      cpu,
    );
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}

async function countByState(boss: PgBoss): Promise<Record<string, number>> {
  const { rows } = await boss
    .getDb()
    .executeSql('SELECT state, count(*)::int AS n FROM pgboss.job WHERE name = $1 GROUP BY state', [
      QUEUE,
    ]);
  return Object.fromEntries(rows.map((row: { state: string; n: number }) => [row.state, row.n]));
}
