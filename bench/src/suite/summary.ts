import type { CpuUse } from '../cpu/cpu-meter';
import type { Measurement } from '../measurement';
import { CONCURRENCY } from '../settings';
import type { Workload } from './workloads';

export interface RoundResult {
  readonly round: number;
  readonly startedAt: string;
  /** 1-minute load average when the workload started: other work on the machine shows here. */
  readonly loadAverage: number;
  readonly measurement: Measurement;
}

export interface WorkloadSummary {
  readonly id: string;
  readonly label: string;
  readonly unit: Workload['unit'];
  readonly rounds: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Medians of the rounds' CPU per unit (µs); null where it was not measured. */
  readonly cpu: { readonly client: number | null; readonly server: number | null };
  readonly runs: readonly RoundResult[];
}

function medianOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarise(workload: Workload, runs: readonly RoundResult[]): WorkloadSummary {
  const rates = runs.map((run) => run.measurement.rate).sort((a, b) => a - b);
  const cpuOf = (pick: (cpu: CpuUse) => number | null): number | null =>
    medianOf(
      runs
        .map((run) => (run.measurement.cpu ? pick(run.measurement.cpu) : null))
        .filter((value): value is number => value !== null && Number.isFinite(value)),
    );
  return {
    id: workload.id,
    label: workload.label,
    unit: workload.unit,
    rounds: runs.length,
    median: medianOf(rates) ?? NaN,
    min: rates[0],
    max: rates[rates.length - 1],
    cpu: {
      client: cpuOf((cpu) => cpu.clientUsPerUnit),
      server: cpuOf((cpu) => cpu.serverUsPerUnit),
    },
    runs,
  };
}

export type Ratios = Readonly<Record<string, number | null>>;

/** Ratios of medians; null where a workload was not run. */
export function ratios(summaries: readonly WorkloadSummary[]): Ratios {
  const summaryOf = (id: string) => summaries.find((s) => s.id === id);
  const median = (id: string): number | null => summaryOf(id)?.median ?? null;
  const cpuPerUnit = (id: string): number | null => {
    const cpu = summaryOf(id)?.cpu;
    return !cpu || cpu.client === null || cpu.server === null ? null : cpu.client + cpu.server;
  };
  const ratio = (a: number | null, b: number | null): number | null =>
    a === null || b === null || b === 0 ? null : a / b;
  const limitAt20 = CONCURRENCY / 0.02;
  return {
    billing0VsGraphile: ratio(median('billing-antaeus-0ms'), median('billing-graphile-worker-0ms')),
    billing0VsPgBoss: ratio(median('billing-antaeus-0ms'), median('billing-pg-boss-0ms')),
    billing20VsGraphile: ratio(
      median('billing-antaeus-20ms'),
      median('billing-graphile-worker-20ms'),
    ),
    billing20VsPgBoss: ratio(median('billing-antaeus-20ms'), median('billing-pg-boss-20ms')),
    billing20VsLimit: ratio(median('billing-antaeus-20ms'), limitAt20),
    billing0VsCeiling: ratio(median('billing-antaeus-0ms'), median('ceiling')),
    appendsVsEmmett: ratio(median('appends-antaeus'), median('appends-emmett')),
    appendsVsCeiling: ratio(median('appends-antaeus'), median('ceiling')),
    appendsAloneVsEmmett: ratio(median('appends-antaeus-alone'), median('appends-emmett')),
    // CPU per invoice, both processes and the server: on a machine whose cores are all
    // busy at 0 ms, what bounds billing0VsGraphile from above is the inverse of this.
    billing0CpuVsGraphile: ratio(
      cpuPerUnit('billing-antaeus-0ms'),
      cpuPerUnit('billing-graphile-worker-0ms'),
    ),
  };
}

export interface Target {
  readonly ratio: string;
  readonly goal: number;
  readonly description: string;
  readonly value: number | null;
  /** null when the workloads behind it were not run. */
  readonly met: boolean | null;
}

const GOALS: readonly Omit<Target, 'value' | 'met'>[] = [
  { ratio: 'billing0VsGraphile', goal: 1, description: 'billing at 0 ms >= 1.0x graphile-worker' },
  {
    ratio: 'billing20VsLimit',
    goal: 0.9,
    description: `billing at 20 ms >= 90% of ${CONCURRENCY} / 20 ms`,
  },
  { ratio: 'billing20VsPgBoss', goal: 2, description: 'billing at 20 ms >= 2x pg-boss' },
  { ratio: 'appendsVsEmmett', goal: 3, description: 'appends >= 3x Emmett' },
];

export function targets(values: Ratios): Target[] {
  return GOALS.map((goal) => {
    const value = values[goal.ratio] ?? null;
    return { ...goal, value, met: value === null ? null : value >= goal.goal };
  });
}

const number = (value: number): string => Math.round(value).toLocaleString('en-US');

/** The readable summary: one row per workload, then the ratios and the targets. */
export function formatTable(
  summaries: readonly WorkloadSummary[],
  values: Ratios,
  goals: readonly Target[],
): string {
  const us = (value: number | null): string => (value === null ? '–' : number(value));
  const rows = [
    ['workload', 'unit', 'median', 'min–max', 'rounds', 'CPU µs/unit: client', 'server'],
    ...summaries.map((s) => [
      s.label,
      s.unit,
      number(s.median),
      `${number(s.min)}–${number(s.max)}`,
      String(s.rounds),
      us(s.cpu.client),
      us(s.cpu.server),
    ]),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const line = (row: string[]): string =>
    row.map((cell, c) => (c >= 2 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join(' | ');
  const lines = [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('-|-')];
  lines.push(...rows.slice(1).map(line));
  lines.push('', 'ratios (of medians):');
  for (const [name, value] of Object.entries(values)) {
    lines.push(`  ${name.padEnd(22)} ${value === null ? 'not run' : value.toFixed(2)}`);
  }
  lines.push('', 'targets:');
  for (const goal of goals) {
    const verdict = goal.met === null ? 'not run' : goal.met ? 'met' : 'MISSED';
    const value = goal.value === null ? '' : ` (${goal.value.toFixed(2)})`;
    lines.push(`  ${goal.description.padEnd(42)} ${verdict}${value}`);
  }
  return lines.join('\n');
}
