import type { ChargeFailureReason } from '../../src/billing/domain/failure-reason';
import type { InvoiceStatus } from '../../src/billing/domain/invoice-status';
import type { Money } from '../../src/shared/money';
import type { SimulatedOutcome } from '../../src/payments/simulated/simulated-outcome';
import type { Claim, InvoiceLog } from '../support/service/invoice-log';
import type { LedgerEntry } from '../support/service/ledger-entry';
import { moneyFindings, type Evidence, type ProviderTraits } from '../support/service/money-checks';

const AMOUNT: Money = { value: '10.00', currency: 'EUR' };
const NON_IDEMPOTENT: ProviderTraits = { idempotent: false, sharedMemory: true };
const IDEMPOTENT_SHARED: ProviderTraits = { idempotent: true, sharedMemory: true };
const IDEMPOTENT_PER_PROCESS: ProviderTraits = { idempotent: true, sharedMemory: false };

const key = (invoiceId: string, attempt = 1) => `invoice-${invoiceId}-attempt-${attempt}`;

function delivery(
  invoiceId: string,
  outcome: SimulatedOutcome,
  by: { pid?: number; client?: string } = { pid: 100 },
  attempt = 1,
): LedgerEntry {
  return {
    idempotencyKey: key(invoiceId, attempt),
    invoiceId,
    customerId: `c${invoiceId}`,
    amount: AMOUNT,
    outcome,
    at: '2026-11-01T00:00:00.000Z',
    pid: by.pid ?? 999,
    ...(by.client === undefined ? {} : { client: by.client }),
  };
}

function claim(invoiceId: string, instanceId = 'instance-1', attempt = 1): [string, Claim] {
  const idempotencyKey = key(invoiceId, attempt);
  const made = { runId: 'run-1', retry: 0 };
  return [idempotencyKey, { invoiceId, idempotencyKey, instanceId, amount: AMOUNT, ...made }];
}

interface Fixture {
  statuses: Partial<Record<InvoiceStatus, string[]>>;
  entries: LedgerEntry[];
  claims?: [string, Claim][];
  invoices?: string[];
  sweptUnknown?: [string, string][];
  redrives?: [string, string[]][];
  failures?: [string, ChargeFailureReason][];
  provider?: ProviderTraits;
}

/** instance-1 had pid 100, then (restarted) pid 101; instance-2 pid 200. */
function evidence(fixture: Fixture): Evidence {
  const statuses: Record<InvoiceStatus, string[]> = {
    PENDING: [],
    PROCESSING: [],
    PAID: [],
    FAILED: [],
    UNKNOWN: [],
    VOID: [],
    ...fixture.statuses,
  };
  const invoices = fixture.invoices ?? Object.values(statuses).flat();
  const log: InvoiceLog = {
    claims: new Map(fixture.claims ?? invoices.map((id) => claim(id))),
    sweptUnknown: new Map(fixture.sweptUnknown ?? []),
    withdrawn: new Map(),
    redrives: new Map(fixture.redrives ?? []),
    failures: new Map(fixture.failures ?? []),
    runs: [],
  };
  return {
    invoices,
    statuses,
    ledger: { entries: fixture.entries },
    log,
    instances: [
      { instanceId: 'instance-1', pids: [100, 101] },
      { instanceId: 'instance-2', pids: [200] },
    ],
    provider: fixture.provider ?? NON_IDEMPOTENT,
  };
}

describe('moneyFindings', () => {
  it('finds nothing in a clean run: paid, declined, rejected, ambiguous and swept invoices', () => {
    const findings = moneyFindings(
      evidence({
        statuses: { PAID: ['1'], FAILED: ['2', '3'], UNKNOWN: ['4', '5'] },
        entries: [
          delivery('1', 'paid'),
          delivery('2', 'declined', { pid: 101 }),
          delivery('3', 'customer_not_found'),
          delivery('4', 'ambiguous_charged', { pid: 200 }),
        ],
        claims: [claim('1'), claim('2'), claim('3'), claim('4', 'instance-2'), claim('5')],
        sweptUnknown: [['5', 'instance-1']],
      }),
    );
    expect(findings).toEqual({
      doubleCharges: [],
      lostInvoices: [],
      chargedButNotPaidOrUnknown: [],
      ambiguousRetries: [],
      replaysCharged: 0,
      problems: [],
    });
  });

  it('(a) counts an invoice charged twice under one key as a double charge', () => {
    const findings = moneyFindings(
      evidence({
        statuses: { PAID: ['1'] },
        entries: [delivery('1', 'ambiguous_charged'), delivery('1', 'paid')],
      }),
    );
    expect(findings.doubleCharges).toEqual(['1']);
    expect(findings.problems).toContainEqual(
      expect.stringContaining('1 invoices charged more than once'),
    );
  });

  it('(a) on a shared-memory idempotent provider, a key charged twice is a double charge too', () => {
    const findings = moneyFindings(
      evidence({
        statuses: { PAID: ['1'] },
        entries: [delivery('1', 'paid'), delivery('1', 'paid')],
        provider: IDEMPOTENT_SHARED,
      }),
    );
    expect(findings.doubleCharges).toEqual(['1']);
    expect(findings.replaysCharged).toBe(0);
  });

  it('(a) counts a key charged again by a per-process idempotent simulator once, and says so', () => {
    const findings = moneyFindings(
      evidence({
        statuses: { PAID: ['1'] },
        entries: [delivery('1', 'paid'), delivery('1', 'paid', { pid: 200 })],
        redrives: [[key('1'), ['instance-2']]],
        provider: IDEMPOTENT_PER_PROCESS,
      }),
    );
    expect(findings.doubleCharges).toEqual([]);
    expect(findings.replaysCharged).toBe(1);
    expect(findings.problems).toEqual([]);
  });

  it('(a) still finds two keys charged for one invoice on a per-process idempotent simulator', () => {
    const findings = moneyFindings(
      evidence({
        statuses: { PAID: ['1'] },
        entries: [delivery('1', 'paid'), delivery('1', 'paid', { pid: 100 }, 2)],
        claims: [claim('1'), claim('1', 'instance-1', 2)],
        provider: IDEMPOTENT_PER_PROCESS,
      }),
    );
    expect(findings.doubleCharges).toEqual(['1']);
    expect(findings.problems).toContainEqual(
      expect.stringContaining('invoices delivered under more than one key'),
    );
  });

  it('a key that never left (network_error only) and was withdrawn does not count as a second key', () => {
    const findings = moneyFindings(
      evidence({
        statuses: { PAID: ['1'] },
        entries: [delivery('1', 'network_error'), delivery('1', 'paid', { pid: 100 }, 2)],
        claims: [claim('1'), claim('1', 'instance-1', 2)],
      }),
    );
    expect(findings.problems).toEqual([]);
  });

  it('(b) reports invoices left PENDING or PROCESSING, or missing from the read models', () => {
    const findings = moneyFindings(
      evidence({
        statuses: { PAID: ['1'], PENDING: ['2'], PROCESSING: ['3'] },
        invoices: ['1', '2', '3', '4'],
        entries: [delivery('1', 'paid'), delivery('3', 'declined')],
      }),
    );
    expect(findings.lostInvoices).toEqual(['2', '3', '4']);
    expect(findings.problems[0]).toContain('3 invoices not PAID, FAILED or UNKNOWN');
    expect(findings.problems[0]).toContain('"status":"missing"');
  });

  it('(b) reports a charged invoice Antaeus shows FAILED or PROCESSING', () => {
    const findings = moneyFindings(
      evidence({
        statuses: { FAILED: ['1'], PROCESSING: ['2'], UNKNOWN: ['3'] },
        entries: [delivery('1', 'paid'), delivery('2', 'ambiguous_charged'), delivery('3', 'paid')],
      }),
    );
    expect(findings.chargedButNotPaidOrUnknown).toEqual(['1', '2']);
  });

  it('(d) reports a key delivered again after an ambiguous answer, non-idempotent provider', () => {
    const findings = moneyFindings(
      evidence({
        statuses: { FAILED: ['1'] },
        entries: [delivery('1', 'ambiguous_not_charged'), delivery('1', 'declined')],
      }),
    );
    expect(findings.ambiguousRetries).toEqual([key('1')]);
    expect(findings.problems).toContainEqual(
      expect.stringContaining('ambiguous attempts retried automatically'),
    );
  });

  it('(d) allows retries of a request that never left, and reports any re-drive', () => {
    const findings = moneyFindings(
      evidence({
        statuses: { PAID: ['1', '2'] },
        entries: [
          delivery('1', 'network_error'),
          delivery('1', 'network_error'),
          delivery('1', 'paid'),
          delivery('2', 'paid'),
        ],
        redrives: [[key('2'), ['instance-1']]],
      }),
    );
    expect(findings.ambiguousRetries).toEqual([key('2')]);
  });

  it('(d) does not apply to an idempotent provider: retrying an ambiguous attempt is its point', () => {
    const findings = moneyFindings(
      evidence({
        statuses: { PAID: ['1'] },
        entries: [delivery('1', 'ambiguous_not_charged'), delivery('1', 'paid')],
        provider: IDEMPOTENT_SHARED,
      }),
    );
    expect(findings.ambiguousRetries).toEqual([]);
    expect(findings.problems).toEqual([]);
  });

  it('names the deliverer by its client when the ledger has one (the pid is then the simulator)', () => {
    const byClient = moneyFindings(
      evidence({
        statuses: { PAID: ['1', '2'] },
        entries: [
          delivery('1', 'paid', { pid: 7, client: 'instance-1' }),
          delivery('2', 'paid', { pid: 7, client: 'instance-2' }),
        ],
      }),
    );
    expect(byClient.problems).toHaveLength(1);
    expect(byClient.problems[0]).toContain('1 deliveries not made by the instance that won');
    expect(byClient.problems[0]).toContain('"by":"instance-2"');
  });

  it('accepts a delivery by the instance that re-drove the attempt (idempotent provider)', () => {
    const findings = moneyFindings(
      evidence({
        statuses: { PAID: ['1'] },
        entries: [delivery('1', 'ambiguous_not_charged'), delivery('1', 'paid', { pid: 200 })],
        redrives: [[key('1'), ['instance-2']]],
        provider: IDEMPOTENT_SHARED,
      }),
    );
    expect(findings.problems).toEqual([]);
  });

  it('reports a delivery of another amount, or of a key nobody claimed', () => {
    const other = {
      ...delivery('1', 'paid'),
      amount: { value: '99.00', currency: 'EUR' as const },
    };
    const findings = moneyFindings(
      evidence({
        statuses: { PAID: ['1', '2'] },
        entries: [other, delivery('2', 'paid')],
        claims: [claim('1')],
      }),
    );
    expect(findings.problems.join('\n')).toContain('2 deliveries not made by the instance');
  });

  it('reports a PAID invoice the provider never charged', () => {
    const findings = moneyFindings(
      evidence({ statuses: { PAID: ['1'] }, entries: [delivery('1', 'declined')] }),
    );
    expect(findings.problems).toContainEqual(
      expect.stringContaining('1 PAID invoices not charged exactly once'),
    );
  });

  it('explains an invoice the provider never saw only by UNKNOWN or a network failure', () => {
    const findings = moneyFindings(
      evidence({
        statuses: { FAILED: ['1', '2'], UNKNOWN: ['3'] },
        entries: [],
        failures: [
          ['1', 'NETWORK'],
          ['2', 'INSUFFICIENT_FUNDS'],
        ],
      }),
    );
    expect(findings.problems).toEqual([
      '1 invoices the provider never saw, neither UNKNOWN nor FAILED for a network error: ["2"]',
    ]);
  });

  it('reports invoices in the read models that were never seeded', () => {
    const findings = moneyFindings(
      evidence({
        statuses: { PAID: ['1'], FAILED: ['9'] },
        invoices: ['1'],
        entries: [delivery('1', 'paid')],
      }),
    );
    expect(findings.problems).toEqual([
      '1 invoices in the read models that were never seeded: ["9"]',
    ]);
  });
});
