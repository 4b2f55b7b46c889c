import { randomUUID } from 'node:crypto';
import { auditLog } from '../../src/audit/audit-log';
import {
  decideInvoiceSequence,
  initialInvoiceState,
  invoiceStream,
  type InvoiceCommand,
} from '../../src/billing/domain';
import { invoiceDecider } from '../../src/billing/store/invoice-decider';
import { toEventData } from '../../src/billing/store/stream-repository';
import type { EventData } from '../../src/event-store/event-data';
import { NO_STREAM } from '../../src/event-store/expected-revision';
import { openPgliteStore, type OpenStore } from '../support/event-store-backends';

const T0 = '2026-11-01T00:00:00.000Z';
const metadata = { instanceId: 'test', runId: 'run-1', causation: 'test', causationId: null };

/** The events decide produces for these commands, as the store would hold them. */
function history(invoiceId: string, commands: ((id: string) => InvoiceCommand)[]): EventData[] {
  const decided = decideInvoiceSequence(
    commands.map((command) => command(invoiceId)),
    initialInvoiceState,
    { now: T0, instanceId: 'test' },
  );
  if (!decided.ok) throw new Error(decided.error.message);
  return decided.events.map((event, index) =>
    toEventData(invoiceDecider, event.data.invoiceId, event, BigInt(index), metadata),
  );
}

const issue = (id: string): InvoiceCommand => ({
  type: 'IssueInvoice',
  invoiceId: id,
  customerId: 'c-1',
  amount: { value: '10.00', currency: 'EUR' },
});
const claim = (id: string): InvoiceCommand => ({
  type: 'ClaimCharge',
  invoiceId: id,
  runId: 'run-1',
});
const outcome =
  (attempt: number, kind: 'paid' | 'unknown') =>
  (id: string): InvoiceCommand => ({
    type: 'RecordChargeOutcome',
    invoiceId: id,
    attempt,
    outcome: { kind },
  });
const resolveFailed = (id: string): InvoiceCommand => ({
  type: 'ResolveInvoice',
  invoiceId: id,
  outcome: 'FAILED',
  note: 'provider dashboard shows no charge',
});
const requeue = (id: string): InvoiceCommand => ({ type: 'RequeueInvoice', invoiceId: id });

describe('auditLog', () => {
  let open: OpenStore;
  const now = new Date(Date.parse(T0) + 60 * 60_000);

  beforeAll(async () => {
    open = await openPgliteStore();
  });
  beforeEach(async () => {
    await open.db.exec('TRUNCATE events'); // each case audits a log of its own
  });
  afterAll(async () => open?.close());

  const write = (id: string, events: EventData[]) =>
    open.store.append(invoiceStream(id), events, NO_STREAM);
  const audit = () => auditLog(open.store, { now, attemptTimeoutMs: 60_000 });

  it('finds nothing wrong in histories decide wrote', async () => {
    await write('1', history('1', [issue, claim, outcome(1, 'paid')]));
    await write('2', history('2', [issue]));
    const result = await audit();
    expect(result).toMatchObject({ events: 4, invoices: 2, violations: [], attention: [] });
    expect(result.byStatus).toEqual({
      PENDING: 1,
      PROCESSING: 0,
      PAID: 1,
      FAILED: 0,
      UNKNOWN: 0,
      VOID: 0,
    });
  });

  it('flags an invoice charged on two attempts', async () => {
    // Attempt 1 unknown, a person resolved it FAILED, attempt 2 was paid, then the late
    // truth of attempt 1 says it was paid too: money was taken twice.
    await write(
      '3',
      history('3', [
        issue,
        claim,
        outcome(1, 'unknown'),
        resolveFailed,
        requeue,
        claim,
        outcome(2, 'paid'),
        outcome(1, 'paid'),
      ]),
    );
    const result = await audit();
    expect(result.violations).toEqual([
      { kind: 'CHARGED_MORE_THAN_ONCE', invoiceId: '3', attempts: [1, 2] },
    ]);
    expect(result.attention).toEqual([
      expect.objectContaining({ kind: 'RESOLUTION_CONTRADICTED', invoiceId: '3', attempt: 1 }),
    ]);
  });

  it('flags a stream decide could not have written: a second claim while one is open', async () => {
    const events = history('4', [issue, claim]);
    await write('4', [...events, { ...events[1], id: randomUUID() }]);
    const result = await audit();
    expect(result.violations).toEqual([
      expect.objectContaining({ kind: 'STREAM_CORRUPT', invoiceId: '4' }),
    ]);
  });

  it('flags a stage that does not say its run and instance', async () => {
    const [issued, attempted] = history('5', [issue, claim]);
    const { runId: _runId, instanceId: _instanceId, ...data } = attempted.data;
    await write('5', [issued, { ...attempted, data }]);
    const result = await audit();
    expect(result.violations).toContainEqual({
      kind: 'AUDIT_TRAIL_INCOMPLETE',
      invoiceId: '5',
      revision: '1',
      missing: ['runId', 'instanceId'],
    });
  });

  it('flags an attempt left open past the attempt timeout, and not one still within it', async () => {
    await write('6', history('6', [issue, claim]));
    expect((await audit()).violations).toEqual([
      { kind: 'ATTEMPT_NOT_ENDED', invoiceId: '6', attempt: 1, openSince: T0 },
    ]);
    const early = await auditLog(open.store, { now: new Date(T0), attemptTimeoutMs: 60_000 });
    expect(early.violations).toEqual([]);
  });
});
