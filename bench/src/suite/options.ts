import { parseArgs } from 'node:util';

export const GROUPS = ['billing', 'appends', 'ceiling'] as const;
export type WorkloadGroup = (typeof GROUPS)[number];

export interface SuiteOptions {
  readonly invoices: number;
  readonly rounds: number;
  readonly seconds: number;
  readonly json: boolean;
  readonly only: readonly WorkloadGroup[];
}

const USAGE = `npm run bench -- [--invoices N] [--rounds R] [--seconds S] [--only billing,appends,ceiling] [--json]`;

/** Reads the suite's flags; throws a usage message on anything else. */
export function parseSuiteOptions(argv: readonly string[]): SuiteOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      invoices: { type: 'string', default: '20000' },
      rounds: { type: 'string', default: '3' },
      seconds: { type: 'string', default: '5' },
      only: { type: 'string', default: GROUPS.join(',') },
      json: { type: 'boolean', default: false },
    },
  });
  const only = values.only.split(',').map((group) => group.trim());
  const unknown = only.filter((group) => !(GROUPS as readonly string[]).includes(group));
  if (unknown.length > 0) throw new Error(`unknown group ${unknown.join(', ')}\nusage: ${USAGE}`);
  return {
    invoices: positive('--invoices', values.invoices),
    rounds: positive('--rounds', values.rounds),
    seconds: positive('--seconds', values.seconds),
    json: values.json,
    only: only as WorkloadGroup[],
  };
}

function positive(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${flag} must be a positive whole number, got "${text}"\nusage: ${USAGE}`);
  }
  return value;
}
