import { Client } from 'pg';
import { pageQueryPlans, type QueryPlan } from './page-query-plans';
import { processUsage } from './process-usage';
import { projectionLags } from './projection-lag';
import { restLatency, type RestLatency } from './rest-latency';
import { BENCH_AUTH, ServiceProcess } from './service-process';

export const PAGE_SIZE = 50;
export const WARMUP_SECONDS = 2;
const CAUGHT_UP_WITHIN_MS = 15 * 60_000;

export interface PageLoad {
  /** `page=0` for the first page; `after=<invoiceId>` (the API's keyset) for the deep one. */
  readonly query: string;
  readonly path: string;
  /** The same load for WARMUP_SECONDS just before, not counted. */
  readonly warmup: RestLatency;
  readonly measured: RestLatency;
  /** The service's CPU time during the measured load, % of one core. */
  readonly serviceCpuPercent: number | null;
  /** The page's statements explained as the loads found the table. */
  readonly plans: readonly QueryPlan[];
  /** The same after VACUUM (ANALYZE) invoices: a diagnostic, no load ran after it. */
  readonly plansAfterVacuum: readonly QueryPlan[];
}

export interface RestUnderLoad {
  readonly secondsToHealthy: number;
  /** From healthy until every projection had folded the whole log. */
  readonly secondsToCaughtUp: number;
  readonly paid: number;
  readonly pageSize: number;
  readonly firstPage: PageLoad;
  /** The last full page (floor(paid / size) - 1), asked for by keyset: `after` its predecessor. */
  readonly deepPage: PageLoad;
  readonly servicePeakRssMb: number | null;
  /** Its statistics when the loads ran (before the diagnostic vacuum). */
  readonly invoicesTable: Readonly<Record<string, unknown>>;
  readonly vacuumSeconds: number;
}

const statusPath = (query: string): string =>
  `/rest/v1/invoices/status/PAID?${query}&size=${PAGE_SIZE}`;

/**
 * Starts the service on the billed database, waits until its read models hold the whole
 * log, then loads the first and a deep page of PAID invoices at `rate` requests/s.
 */
export async function restUnderLoad(
  databaseUrl: string,
  latencyMs: number,
  rate: number,
  seconds: number,
  progress: (text: string) => void,
): Promise<RestUnderLoad> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const started = Date.now();
  const service = await ServiceProcess.start(databaseUrl, latencyMs);
  try {
    const secondsToHealthy = (Date.now() - started) / 1000;
    await caughtUp(client);
    const secondsToCaughtUp = (Date.now() - started) / 1000 - secondsToHealthy;
    const paid = await totalPaid(service.url);
    const deep = Math.max(0, Math.floor(paid / PAGE_SIZE) - 1);
    // The deep page as a client reaches it: by the `next` cursor of the page before it.
    const cursor = await invoiceBefore(client, deep * PAGE_SIZE);
    const deepQuery = cursor === null ? 'page=0' : `after=${encodeURIComponent(cursor)}`;
    const serviceUsage = () =>
      service.pid === undefined ? Promise.resolve(null) : processUsage(service.pid);
    const load = async (query: string): Promise<Omit<PageLoad, 'plans' | 'plansAfterVacuum'>> => {
      const path = statusPath(query);
      await expectFullPage(service.url, path);
      progress(`  GET ${path} at ${rate}/s: ${WARMUP_SECONDS} s warm-up, ${seconds} s measured…\n`);
      const warmup = await restLatency(service.url, path, rate, WARMUP_SECONDS, BENCH_AUTH);
      const before = await serviceUsage();
      const measured = await restLatency(service.url, path, rate, seconds, BENCH_AUTH);
      const after = await serviceUsage();
      const serviceCpuPercent =
        before && after
          ? Math.round((100 * (after.cpuSeconds - before.cpuSeconds)) / measured.seconds)
          : null;
      return { query, path, warmup, measured, serviceCpuPercent };
    };
    const firstLoad = await load('page=0');
    const deepLoad = await load(deepQuery);
    const peak = await serviceUsage();
    await service.stop();
    // Explained with the service stopped, so the plans' timings are the query's alone.
    const plans = async (): Promise<QueryPlan[][]> => [
      await pageQueryPlans(client, 'PAID', { page: 0, size: PAGE_SIZE }),
      await pageQueryPlans(
        client,
        'PAID',
        cursor === null ? { page: 0, size: PAGE_SIZE } : { after: cursor, size: PAGE_SIZE },
      ),
    ];
    const [firstPlans, deepPlans] = await plans();
    const table = await invoicesTable(client);
    progress('  VACUUM (ANALYZE) invoices, to explain the pages again (diagnostic only)…\n');
    const vacuumStarted = Date.now();
    await client.query('VACUUM (ANALYZE) invoices');
    const vacuumSeconds = (Date.now() - vacuumStarted) / 1000;
    const [firstVacuumed, deepVacuumed] = await plans();
    return {
      secondsToHealthy,
      secondsToCaughtUp,
      paid,
      pageSize: PAGE_SIZE,
      firstPage: { ...firstLoad, plans: firstPlans, plansAfterVacuum: firstVacuumed },
      deepPage: { ...deepLoad, plans: deepPlans, plansAfterVacuum: deepVacuumed },
      servicePeakRssMb: peak ? Math.round(peak.peakMb) : null,
      invoicesTable: table,
      vacuumSeconds,
    };
  } finally {
    await service.stop();
    await client.end();
  }
}

async function caughtUp(client: Client): Promise<void> {
  const deadline = Date.now() + CAUGHT_UP_WITHIN_MS;
  for (;;) {
    const lags = await projectionLags(client);
    if (lags.length > 0 && lags.every((lag) => lag.eventsBehind === 0)) return;
    if (Date.now() > deadline) {
      throw new Error(`the read models did not catch up: ${JSON.stringify(lags)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** A page of the load must be a real one: a full page of PAID invoices. */
async function expectFullPage(url: string, path: string): Promise<void> {
  const response = await fetch(url + path, { headers: BENCH_AUTH });
  const body = (await response.json()) as { items?: { status: string }[] };
  const items = body.items ?? [];
  if (
    response.status !== 200 ||
    items.length !== PAGE_SIZE ||
    items.some((i) => i.status !== 'PAID')
  ) {
    throw new Error(`GET ${path} answered ${response.status} with ${items.length} items`);
  }
}

/** The id of the PAID invoice at `offset` - 1 in id order: the cursor of the page at `offset`. */
async function invoiceBefore(client: Client, offset: number): Promise<string | null> {
  if (offset === 0) return null;
  const { rows } = await client.query<{ invoice_id: string }>(
    `SELECT invoice_id FROM invoices WHERE status = 'PAID' ORDER BY id_order OFFSET $1 LIMIT 1`,
    [offset - 1],
  );
  return rows[0]?.invoice_id ?? null;
}

async function totalPaid(url: string): Promise<number> {
  const response = await fetch(`${url}/rest/v1/invoices/status/PAID?page=0&size=1`, {
    headers: BENCH_AUTH,
  });
  if (response.status !== 200) throw new Error(`GET PAID answered ${response.status}`);
  return ((await response.json()) as { total: number }).total;
}

/** What decides the plans: the table's size, and whether vacuum has set its visibility map. */
async function invoicesTable(client: Client): Promise<Record<string, unknown>> {
  const { rows } = await client.query(
    `SELECT s.n_live_tup, s.n_dead_tup, s.last_vacuum, s.last_autovacuum, s.last_analyze,
            s.last_autoanalyze, c.relpages, c.relallvisible,
            pg_size_pretty(pg_total_relation_size(c.oid)) AS total_size
       FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
      WHERE s.relname = 'invoices'`,
  );
  return rows[0] ?? {};
}
