/**
 * Runs one in-process workload in a process of its own, so no workload inherits another's
 * heap, pools or timers: `node run-workload.js '<WorkloadSpec as JSON>'`. The measurement
 * is the last line of stdout, as JSON.
 */
import { antaeusAppends } from './appends/antaeus-appends';
import { emmettAppends } from './appends/emmett-appends';
import { commitCeiling } from './ceiling/commit-ceiling';
import { graphileWorkerBilling } from './jobs/graphile-worker-billing';
import { pgBossBilling } from './jobs/pg-boss-billing';
import type { Measurement } from './measurement';

export type InProcessWorkload =
  | 'graphile-worker'
  | 'pg-boss'
  | 'antaeus-appends'
  | 'antaeus-appends-alone'
  | 'emmett-appends'
  | 'ceiling';

export interface WorkloadSpec {
  readonly workload: InProcessWorkload;
  readonly databaseUrl: string;
  readonly invoices: number;
  readonly latencyMs: number;
  readonly seconds: number;
}

function run(spec: WorkloadSpec): Promise<Measurement> {
  switch (spec.workload) {
    case 'graphile-worker':
      return graphileWorkerBilling(spec.databaseUrl, spec.invoices, spec.latencyMs);
    case 'pg-boss':
      return pgBossBilling(spec.databaseUrl, spec.invoices, spec.latencyMs);
    case 'antaeus-appends':
      return antaeusAppends(spec.databaseUrl, spec.seconds);
    case 'antaeus-appends-alone':
      return antaeusAppends(spec.databaseUrl, spec.seconds, false);
    case 'emmett-appends':
      return emmettAppends(spec.databaseUrl, spec.seconds);
    case 'ceiling':
      return commitCeiling(spec.databaseUrl, spec.seconds);
  }
}

if (require.main === module) {
  run(JSON.parse(process.argv[2]) as WorkloadSpec).then(
    (result) => {
      console.log(JSON.stringify(result));
      // Libraries may leave timers behind after their stop(): the figure is out, so go.
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
