import { parseArgs } from 'node:util';
import { wholeNumberFlag } from '../whole-number-flag';

export interface ConcurrencyOptions {
  /** Pending invoices seeded, then billed, for each concurrency. */
  readonly invoices: number;
  /** The simulated provider's latency (SIMULATED_LATENCY_MS). */
  readonly latencyMs: number;
  /** BILLING_CONCURRENCY of each run, in order. */
  readonly concurrencies: readonly number[];
  /** Profile each billing process (node --cpu-prof) and summarise where its time went. */
  readonly cpuProf: boolean;
  readonly json: boolean;
}

const USAGE =
  'npm run bench:concurrency -- [--invoices N] [--latency-ms MS] [--concurrency C1,C2,...] [--cpu-prof] [--json]';

const whole = (flag: string, text: string, min: number): number =>
  wholeNumberFlag(flag, text, min, USAGE);

/** Reads the concurrency benchmark's flags; throws a usage message on anything else. */
export function parseConcurrencyOptions(argv: readonly string[]): ConcurrencyOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      invoices: { type: 'string', default: '50000' },
      'latency-ms': { type: 'string', default: '200' },
      concurrency: { type: 'string', default: '500,1000,2000' },
      'cpu-prof': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  return {
    invoices: whole('--invoices', values.invoices, 1),
    latencyMs: whole('--latency-ms', values['latency-ms'], 1),
    concurrencies: values.concurrency.split(',').map((c) => whole('--concurrency', c, 1)),
    cpuProf: values['cpu-prof'],
    json: values.json,
  };
}
