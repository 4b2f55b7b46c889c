import type { BillingAtScale } from './billing-at-scale';
import type { Distribution } from './percentiles';
import type { QueryPlan } from './page-query-plans';
import type { PageLoad, RestUnderLoad } from './rest-under-load';
import { REST_CONNECTIONS } from './rest-latency';
import type { ScaleTarget } from './scale-targets';

const int = (value: number): string => Math.round(value).toLocaleString('en-US');
const rate = (value: number): string => (value < 10 ? value.toFixed(1) : int(value));
const ms = (value: number | undefined): string => (value === undefined ? '–' : value.toFixed(1));

/** Rows as aligned columns; columns from `rightFrom` on are right-aligned. */
function table(rows: readonly string[][], rightFrom = 1): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  const line = (row: readonly string[]): string =>
    row
      .map((cell, c) => (c >= rightFrom ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join(' | ')
      .trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.slice(1).map(line)];
}

function spread(label: string, d: Distribution | null): string[] {
  return [label, ms(d?.p50), ms(d?.p90), ms(d?.p99), ms(d?.max), d ? int(d.samples) : '0'];
}

function billingLines(billing: BillingAtScale): string[] {
  const { seed, run, lag, throughput } = billing;
  const per10s = throughput.per10s.map(
    (w) => `${int(w.invoicesPerSecond)}${w.cpuPercent === null ? '' : ` (${w.cpuPercent}%)`}`,
  );
  const wrapped: string[] = [];
  for (let i = 0; i < per10s.length; i += 8) wrapped.push(per10s.slice(i, i + 8).join('  '));
  const projections = Object.entries(lag.byProjection).map(([name, p]) =>
    spread(
      `  ${name} (slowest in ${Math.round(p.slowestShare * 100)}%, <= ${int(p.maxEventsBehind)} events behind)`,
      p.lagMs,
    ),
  );
  return [
    `seed (not timed):   ${seed.wallSeconds.toFixed(1)} s wall (CLI: ${seed.cliSeconds} s)`,
    `billing run:        ${run.seconds.toFixed(1)} s, ${int(run.invoicesPerSecond)} invoices/s` +
      ` (start line to summary line; ${run.wallSeconds.toFixed(1)} s spawn to exit)`,
    `settled:            ${int(run.paid)} paid, ${int(run.failed)} failed, ${int(run.unknown)} unknown`,
    `peak RSS:           ${run.peakRssMb} MB (/proc VmHWM); the CLI says ${run.cliPeakRssMb} MB`,
    `CPU of the process: ${run.cpuPercent ?? '–'}% of one core over the run` +
      ` (machine load average ${run.loadAverageRange.map((l) => l.toFixed(1)).join('–')} meanwhile)`,
    `before start line:  ${lag.beforeStart.seconds.toFixed(1)} s (boot, folding the seed's backlog)`,
    'invoices/s per 10 s (CPU of the billing process, % of one core):',
    ...wrapped.map((line) => `  ${line}`),
    '',
    `projection lag, ms (sampled every ${lag.sampleMs} ms during the run; taken every ` +
      `${ms(lag.sampling.intervalMs?.p50)} ms (p50), ${ms(lag.sampling.intervalMs?.p99)} ms (p99)):`,
    ...table(
      [
        ['', 'p50', 'p90', 'p99', 'max', 'samples'],
        spread('lag (slowest projection)', lag.lagMs),
        spread('oldest waiting event', lag.oldestWaitingMs),
        ...projections,
      ],
      1,
    ),
  ];
}

function restLines(rest: RestUnderLoad): string[] {
  const rows = [rest.firstPage, rest.deepPage].map((load, i) => {
    const m = load.measured;
    const d = m.latencyMs;
    return [
      `${i === 0 ? 'first' : 'deep'} page (${load.query})`,
      rate(m.achievedRate),
      ms(d?.p50),
      ms(d?.p90),
      ms(d?.p99),
      ms(d?.max),
      String(m.non2xx),
      String(m.errors),
      load.serviceCpuPercent === null ? '–' : `${load.serviceCpuPercent}%`,
    ];
  });
  const m = rest.firstPage.measured;
  const planTimes = (load: PageLoad): string =>
    [load.plans, load.plansAfterVacuum]
      .map((plans) => plans.map(executionTime).join(' + '))
      .join(' ms; after VACUUM (ANALYZE): ');
  return [
    `GET /rest/v1/invoices/status/PAID?size=${rest.pageSize}, ${int(rest.paid)} PAID; ` +
      `autocannon ${REST_CONNECTIONS} connections at ${m.requestedRate}/s for ${m.seconds} s:`,
    ...table([
      [
        'page',
        'achieved/s',
        'p50 ms',
        'p90 ms',
        'p99 ms',
        'max ms',
        'non-2xx',
        'errors',
        'service CPU',
      ],
      ...rows,
    ]),
    "EXPLAIN ANALYZE of each page's statements (rows + count), with the service stopped:",
    `  first page: ${planTimes(rest.firstPage)} ms`,
    `  deep page:  ${planTimes(rest.deepPage)} ms`,
  ];
}

function executionTime(plan: QueryPlan): string {
  const line = plan.plan.find((each) => each.startsWith('Execution Time:')) ?? '';
  return /([\d.]+) ms/.exec(line)?.[1] ?? '?';
}

function targetLines(targets: readonly ScaleTarget[]): string[] {
  return targets.map((t) => {
    const verdict = t.met === null ? 'not run' : t.met ? 'met' : 'MISSED';
    const value =
      t.value === null ? '' : ` (${t.unit === 'ms' ? ms(t.value) : int(t.value)} ${t.unit})`;
    return `  ${t.description.padEnd(56)} ${verdict}${value}${t.note ? `: ${t.note}` : ''}`;
  });
}

/** The readable summary: billing, lag, REST, and each target met or missed. */
export function formatScaleSummary(
  billing: BillingAtScale,
  rest: RestUnderLoad | null,
  targets: readonly ScaleTarget[],
  loadAverages: Readonly<Record<string, readonly number[]>>,
): string {
  const load = Object.entries(loadAverages)
    .map(([when, l]) => `${when} ${l.map((x) => x.toFixed(1)).join('/')}`)
    .join(', ');
  return [
    `load average (1/5/15 min): ${load}`,
    '',
    ...billingLines(billing),
    '',
    ...(rest ? restLines(rest) : ['REST: not run']),
    '',
    'targets:',
    ...targetLines(targets),
  ].join('\n');
}
