import type { Measurement } from '../measurement';
import type { InProcessWorkload, WorkloadSpec } from '../run-workload';
import { LATENCIES_MS } from '../settings';
import { antaeusBilling } from './antaeus-billing';
import type { SuiteOptions, WorkloadGroup } from './options';
import { WORKLOAD_RUNNER } from './paths';
import { runNode } from './run-node';

export interface Workload {
  readonly id: string;
  readonly group: WorkloadGroup;
  readonly label: string;
  readonly unit: 'invoices/s' | 'events/s' | 'commits/s';
  readonly run: (databaseUrl: string, options: SuiteOptions) => Promise<Measurement>;
}

/** A peer or store workload, in a process of its own (see run-workload.ts). */
function inProcess(workload: InProcessWorkload, latencyMs = 0): Workload['run'] {
  return async (databaseUrl, { invoices, seconds }) => {
    const spec: WorkloadSpec = { workload, databaseUrl, invoices, latencyMs, seconds };
    const { stdout } = await runNode([
      '--enable-source-maps',
      WORKLOAD_RUNNER,
      JSON.stringify(spec),
    ]);
    const last = stdout.trimEnd().split('\n').pop() ?? '';
    return JSON.parse(last) as Measurement;
  };
}

function billing(latencyMs: number): Workload[] {
  const at = `${latencyMs} ms`;
  return [
    {
      id: `billing-antaeus-${latencyMs}ms`,
      group: 'billing',
      label: `Antaeus billing run, provider ${at}`,
      unit: 'invoices/s',
      run: (url, { invoices }) => antaeusBilling(url, invoices, latencyMs),
    },
    {
      id: `billing-graphile-worker-${latencyMs}ms`,
      group: 'billing',
      label: `graphile-worker jobs, provider ${at}`,
      unit: 'invoices/s',
      run: inProcess('graphile-worker', latencyMs),
    },
    {
      id: `billing-pg-boss-${latencyMs}ms`,
      group: 'billing',
      label: `pg-boss jobs, provider ${at}`,
      unit: 'invoices/s',
      run: inProcess('pg-boss', latencyMs),
    },
  ];
}

/** In the order each round runs them: every Antaeus figure next to its peer's. */
export const WORKLOADS: readonly Workload[] = [
  ...LATENCIES_MS.flatMap(billing),
  {
    id: 'appends-antaeus',
    group: 'appends',
    label: 'Antaeus PostgresEventStore appends',
    unit: 'events/s',
    run: inProcess('antaeus-appends'),
  },
  {
    id: 'appends-antaeus-alone',
    group: 'appends',
    label: 'Antaeus appends, each alone (no group commit)',
    unit: 'events/s',
    run: inProcess('antaeus-appends-alone'),
  },
  {
    id: 'appends-emmett',
    group: 'appends',
    label: 'Emmett PostgreSQL appendToStream',
    unit: 'events/s',
    run: inProcess('emmett-appends'),
  },
  {
    id: 'ceiling',
    group: 'ceiling',
    label: 'PostgreSQL one-insert commits',
    unit: 'commits/s',
    run: inProcess('ceiling'),
  },
];
