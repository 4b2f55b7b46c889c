import { INVOICE_STATUSES, type InvoiceStatus } from '../../../src/billing/domain/invoice-status';
import { waitFor } from '../wait-for';

/** Any running instance and a key with both scopes: the REST API is all these helpers need. */
export interface ServiceEndpoint {
  readonly url: string;
  readonly apiKey: string;
}

const authOf = (instance: ServiceEndpoint) => ({ Authorization: `Bearer ${instance.apiKey}` });

export interface RunView {
  readonly runId: string;
  readonly status: 'RUNNING' | 'COMPLETED';
  readonly counts: { processing: number; paid: number; failed: number; unknown: number };
}

const PAGE_SIZE = 500;

async function json<T>(response: Response, what: string): Promise<T> {
  const body = await response.text();
  if (!response.ok) throw new Error(`${what}: ${response.status} ${body}`);
  return JSON.parse(body) as T;
}

/** POST /rest/v1/billing-runs: a manual run, which every instance's watcher joins. */
export async function startRun(instance: ServiceEndpoint): Promise<string> {
  const response = await fetch(`${instance.url}/rest/v1/billing-runs`, {
    method: 'POST',
    headers: authOf(instance),
  });
  return (await json<{ runId: string }>(response, 'starting a billing run')).runId;
}

/** The run as the read models show it; undefined until they have seen it start. */
export async function findRun(
  instance: ServiceEndpoint,
  runId: string,
): Promise<RunView | undefined> {
  const response = await fetch(`${instance.url}/rest/v1/billing-runs/${runId}`, {
    headers: authOf(instance),
  });
  if (response.status === 404) return undefined;
  return json<RunView>(response, `reading billing run ${runId}`);
}

/** Every invoice id in `status`, through GET /rest/v1/invoices/status/{status}, page by page. */
export async function invoiceIds(
  instance: ServiceEndpoint,
  status: InvoiceStatus,
): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 0; ; page++) {
    const url = `${instance.url}/rest/v1/invoices/status/${status}?page=${page}&size=${PAGE_SIZE}`;
    const body = await json<{ items: { invoiceId: string }[]; total: number }>(
      await fetch(url, { headers: authOf(instance) }),
      `listing ${status} invoices`,
    );
    ids.push(...body.items.map((item) => item.invoiceId));
    if (body.items.length < PAGE_SIZE || ids.length >= body.total) return ids;
  }
}

/** The ids of each status, as the read models show them. */
export async function invoicesByStatus(
  instance: ServiceEndpoint,
): Promise<Record<InvoiceStatus, string[]>> {
  const lists = await Promise.all(INVOICE_STATUSES.map((status) => invoiceIds(instance, status)));
  return Object.fromEntries(INVOICE_STATUSES.map((status, i) => [status, lists[i]])) as Record<
    InvoiceStatus,
    string[]
  >;
}

/** Waits until the read models show `count` PENDING invoices; returns their ids. */
export async function waitForPending(
  instance: ServiceEndpoint,
  count: number,
  timeoutMs = 20_000,
): Promise<string[]> {
  let pending: string[] = [];
  await waitFor(async () => (pending = await invoiceIds(instance, 'PENDING')).length >= count, {
    timeoutMs,
    intervalMs: 100,
    message: `the read models to show ${count} PENDING invoices`,
  });
  return pending;
}

/** Waits until the run is COMPLETED; a timeout says where it stood. */
export async function waitForCompleted(
  instance: ServiceEndpoint,
  runId: string,
  timeoutMs: number,
): Promise<RunView> {
  let run: RunView | undefined;
  try {
    await waitFor(async () => (run = await findRun(instance, runId))?.status === 'COMPLETED', {
      timeoutMs,
      intervalMs: 200,
      message: `run ${runId} to complete`,
    });
  } catch (error) {
    throw new Error(`${(error as Error).message}; last seen ${JSON.stringify(run)}`, {
      cause: error,
    });
  }
  return run!;
}
