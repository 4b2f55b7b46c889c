/**
 * `npm run bench:rest-writes`: issue 14's REST figures on PostgreSQL, against the service
 * as `npm start` runs it (dist/src/main.js with the flags of src/node-flags.ts), on a
 * scratch database. POST /rest/v1/invoices at a fixed rate (each request a new invoice;
 * p50/p99 of the 201s), then POST /rest/v1/invoices/batch of 1,000 new invoices, one
 * after another. Options: --rate N (200), --seconds N (30), --batches N (10),
 * --idempotency-keys (each single create with its own Idempotency-Key). Prints the load
 * averages before and after; figures go to docs/benchmarks.md by hand.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { BENCH_AUTH, ServiceProcess } from './scale/service-process';
import { assertBuilt } from './suite/paths';
import { withScratchDatabase } from './suite/scratch-database';
import { createBatches, createInvoicesAtRate } from './writes/rest-creates';

const CUSTOMERS = 100;
const WARMUP_SECONDS = 5;
const BATCH_SIZE = 1_000;

const progress = (text: string): boolean => process.stderr.write(`${text}\n`);
const load = (): string =>
  loadavg()
    .map((each) => each.toFixed(2))
    .join(' ');

async function registerCustomers(url: string): Promise<string[]> {
  const ids = Array.from({ length: CUSTOMERS }, (_, i) => `bench-customer-${i}`);
  for (const id of ids) {
    const response = await fetch(`${url}/rest/v1/customers`, {
      method: 'POST',
      headers: { ...BENCH_AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ id, currency: 'EUR' }),
    });
    if (response.status !== 201) {
      throw new Error(`customer ${id}: ${response.status} ${await response.text()}`);
    }
  }
  return ids;
}

interface Options {
  readonly rate: number;
  readonly seconds: number;
  readonly batches: number;
  readonly idempotencyKeys: boolean;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string', default: '200' },
      seconds: { type: 'string', default: '30' },
      batches: { type: 'string', default: '10' },
      'idempotency-keys': { type: 'boolean', default: false },
    },
  });
  const positive = (name: string, text: string): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`--${name} must be a positive integer, got ${JSON.stringify(text)}`);
    }
    return value;
  };
  return {
    rate: positive('rate', values.rate),
    seconds: positive('seconds', values.seconds),
    batches: positive('batches', values.batches),
    idempotencyKeys: values['idempotency-keys'],
  };
}

async function main(): Promise<void> {
  assertBuilt();
  const { rate, seconds, batches, idempotencyKeys } = options();
  progress(`load averages before: ${load()}`);
  await withScratchDatabase(async (databaseUrl) => {
    const service = await ServiceProcess.start(databaseUrl, 0);
    try {
      const customers = await registerCustomers(service.url);
      progress(`${customers.length} customers; warm-up ${WARMUP_SECONDS} s at ${rate}/s…`);
      await createInvoicesAtRate(service.url, BENCH_AUTH, {
        rate,
        seconds: WARMUP_SECONDS,
        prefix: 'warm',
        customers,
        idempotencyKeys,
      });
      progress(`POST /rest/v1/invoices at ${rate}/s for ${seconds} s…`);
      const single = await createInvoicesAtRate(service.url, BENCH_AUTH, {
        rate,
        seconds,
        prefix: 'single',
        customers,
        idempotencyKeys,
      });
      progress(`${batches} batches of ${BATCH_SIZE}…`);
      const batch = await createBatches(service.url, BENCH_AUTH, {
        size: BATCH_SIZE,
        count: batches,
        prefix: 'batch',
        customers,
      });
      const ms = (value: number | undefined): string => `${(value ?? NaN).toFixed(1)} ms`;
      console.log(
        [
          `POST /rest/v1/invoices at ${rate}/s for ${single.seconds} s` +
            `${idempotencyKeys ? ', each with an Idempotency-Key' : ''}: ` +
            `${single.achievedRate.toFixed(1)}/s answered, ${single.created} created, ` +
            `${single.notCreated} not created, ${single.errors} errors, ${single.timeouts} timeouts`,
          `  latency of the 201s: p50 ${ms(single.latencyMs?.p50)}, p90 ${ms(single.latencyMs?.p90)}, ` +
            `p99 ${ms(single.latencyMs?.p99)}, max ${ms(single.latencyMs?.max)} (target p99 < 25 ms)`,
          `POST /rest/v1/invoices/batch of ${BATCH_SIZE}, ${batches} in a row: ` +
            `p50 ${ms(batch.latencyMs?.p50)}, max ${ms(batch.latencyMs?.max)} (target < 1000 ms)`,
          `  each: ${batch.millis.map((each) => each.toFixed(0)).join(', ')} ms`,
        ].join('\n'),
      );
    } finally {
      await service.stop();
    }
  });
  progress(`load averages after: ${load()}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
