import { parseArgs } from 'node:util';
import { wholeNumberFlag } from '../whole-number-flag';

export interface ScaleOptions {
  /** Pending invoices seeded, then billed. */
  readonly invoices: number;
  /** The simulated provider's latency (SIMULATED_LATENCY_MS). */
  readonly latencyMs: number;
  /** Measured seconds of each REST load (after a short warm-up). */
  readonly restSeconds: number;
  /** Requests per second of each REST load, over all connections. */
  readonly restRate: number;
  readonly json: boolean;
}

const USAGE =
  'npm run bench:scale -- [--invoices N] [--latency-ms MS] [--rest-seconds S] [--rest-rate R] [--json]';

const whole = (flag: string, text: string, min: number): number =>
  wholeNumberFlag(flag, text, min, USAGE);

/** Reads the scale benchmark's flags; throws a usage message on anything else. */
export function parseScaleOptions(argv: readonly string[]): ScaleOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      invoices: { type: 'string', default: '1000000' },
      'latency-ms': { type: 'string', default: '0' },
      'rest-seconds': { type: 'string', default: '20' },
      'rest-rate': { type: 'string', default: '500' },
      json: { type: 'boolean', default: false },
    },
  });
  return {
    invoices: whole('--invoices', values.invoices, 1),
    latencyMs: whole('--latency-ms', values['latency-ms'], 0),
    restSeconds: whole('--rest-seconds', values['rest-seconds'], 1),
    restRate: whole('--rest-rate', values['rest-rate'], 1),
    json: values.json,
  };
}
