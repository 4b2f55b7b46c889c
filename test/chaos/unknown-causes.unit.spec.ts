import type { OpenSpan } from '../../chaos/in-flight-at-kills';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { faultLogOf, NO_FAULTS, readFaultLog, type FaultLog } from '../../chaos/read-fault-log';
import type { UnknownEvent } from '../../chaos/read-unknown-events';
import { attributeUnknown, probesWithin, type UnknownEvidence } from '../../chaos/unknown-causes';

const T0 = Date.parse('2026-12-03T19:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const BREAKER = { openMs: 1_000, maxOpenMs: 8_000 };

const span = (n: number, instanceId: string, from: number, to = Infinity): OpenSpan => ({
  idempotencyKey: `invoice-${n}-attempt-1`,
  instanceId,
  from: T0 + from,
  to: T0 + to,
});

function unknown(
  n: number,
  reason: 'AMBIGUOUS_NETWORK_ERROR' | 'ATTEMPT_TIMED_OUT',
  ms: number,
  message = reason === 'ATTEMPT_TIMED_OUT'
    ? 'attempt open since ..., longer than the 4000 ms timeout'
    : 'the charge of invoice (key): the connection failed (ECONNRESET)',
): UnknownEvent {
  return {
    invoiceId: String(n),
    idempotencyKey: `invoice-${n}-attempt-1`,
    reason,
    message,
    instanceId: 'instance-1',
    at: T0 + ms,
  };
}

function evidence(overrides: Partial<UnknownEvidence>): UnknownEvidence {
  return {
    unknownInvoices: [],
    unknownEvents: [],
    spans: [],
    kills: [],
    restarts: [],
    pgRestarts: [],
    ledger: [],
    faults: NO_FAULTS,
    instances: 2,
    concurrency: 8,
    breaker: BREAKER,
    providerTimeoutMs: 1_000,
    ...overrides,
  };
}

/** Evidence in which the invoices of `events` are the UNKNOWN ones. */
function attributed(events: UnknownEvent[], overrides: Partial<UnknownEvidence> = {}) {
  const unknownInvoices = [...new Set(events.map((event) => event.invoiceId))];
  return attributeUnknown(evidence({ unknownInvoices, unknownEvents: events, ...overrides }));
}

/** One outage: a 500 window from 10 s to 13 s, then a 429 window to 15 s. */
const OUTAGE: FaultLog = faultLogOf([
  { type: 'window', outage: 1, kind: '500', at: at(10_000) },
  {
    type: 'faulted',
    outage: 1,
    kind: '500',
    idempotencyKey: 'invoice-1-attempt-1',
    at: at(10_050),
  },
  {
    type: 'faulted',
    outage: 1,
    kind: '500',
    idempotencyKey: 'invoice-2-attempt-1',
    at: at(12_000),
  },
  { type: 'window', outage: 1, kind: '429', at: at(13_000) },
  {
    type: 'faulted',
    outage: 1,
    kind: '429',
    idempotencyKey: 'invoice-9-attempt-1',
    at: at(13_500),
  },
  { type: 'outage-ended', outage: 1, at: at(15_000) },
]);

describe('attributeUnknown', () => {
  it("blames a kill for an attempt the sweep timed out that was in the victim's hands at the kill", () => {
    const result = attributed(
      [unknown(1, 'ATTEMPT_TIMED_OUT', 9_000), unknown(2, 'ATTEMPT_TIMED_OUT', 9_000)],
      {
        spans: [span(1, 'instance-1', 1_000, 9_000), span(2, 'instance-2', 1_000, 9_000)],
        kills: [
          { instanceId: 'instance-1', at: T0 + 2_000 },
          { instanceId: 'instance-2', at: T0 + 3_000 },
        ],
      },
    );
    expect(result.byCause).toMatchObject({ kill: 2, unexplained: 0 });
    expect(result.perKill).toEqual([1, 1]);
    expect(result.broken).toEqual([]);
  });

  it('does not blame a kill of another instance, or one before the claim', () => {
    const result = attributed([unknown(1, 'ATTEMPT_TIMED_OUT', 9_000)], {
      spans: [span(1, 'instance-1', 3_000, 9_000)],
      kills: [
        { instanceId: 'instance-1', at: T0 + 2_000 },
        { instanceId: 'instance-2', at: T0 + 4_000 },
      ],
    });
    expect(result.byCause).toMatchObject({ kill: 0, unexplained: 1 });
    expect(result.unexplained).toEqual([
      '1 (invoice-1-attempt-1): timed out by the sweep, though no kill or crash caught it open and the provider never processed it',
    ]);
  });

  it('blames a PostgreSQL crash that caught the attempt open', () => {
    const result = attributed([unknown(1, 'ATTEMPT_TIMED_OUT', 9_000)], {
      spans: [span(1, 'instance-1', 1_000, 9_000)],
      pgRestarts: [T0 + 2_000],
    });
    expect(result.byCause).toMatchObject({ 'pg-restart': 1 });
  });

  it('blames an outage for the keys its 500 window answered, and counts them against its bound', () => {
    const result = attributed(
      [
        unknown(1, 'AMBIGUOUS_NETWORK_ERROR', 10_060),
        unknown(2, 'AMBIGUOUS_NETWORK_ERROR', 12_010),
      ],
      {
        // 1 in flight when the 500s began; 2 claimed later (a probe); 3 ended before.
        spans: [
          span(1, 'instance-1', 9_900, 10_060),
          span(2, 'instance-1', 11_990, 12_010),
          span(3, 'instance-2', 9_000, 9_500),
        ],
        faults: OUTAGE,
      },
    );
    expect(result.byCause).toMatchObject({ outage: 2, unexplained: 0 });
    // 5 s long: each breaker probes at 1 s and 3 s; 2 instances, instance-2 idle when the
    // 500s began: its first round (8) goes into them before its breaker knows.
    expect(result.perOutage).toEqual([
      { outage: 1, unknown: 2, inFlightAtStart: 1, probes: 4 + 8, bound: 13 },
    ]);
    expect(result.broken).toEqual([]);
  });

  it('places a reset with no key-level evidence by time: within a 500 or refused window, or its timeout after', () => {
    const events = [
      unknown(3, 'AMBIGUOUS_NETWORK_ERROR', 15_500), // the 429 window: not ambiguous
      unknown(4, 'AMBIGUOUS_NETWORK_ERROR', 13_900), // within 1 s of the 500 window's end
      unknown(5, 'AMBIGUOUS_NETWORK_ERROR', 9_000), // before the outage
    ];
    const result = attributeUnknown(
      evidence({ unknownInvoices: ['3', '4', '5'], unknownEvents: events, faults: OUTAGE }),
    );
    expect(result.byCause).toMatchObject({ outage: 1, unexplained: 2 });
    expect(result.unexplained[0]).toContain('an ambiguous answer outside any outage');
  });

  it('breaks the outage bound when more UNKNOWN than in flight at its start plus the probes', () => {
    const keys = Array.from({ length: 8 }, (_, i) => i + 10);
    const log = faultLogOf([
      { type: 'window', outage: 1, kind: '500', at: at(10_000) },
      ...keys.map((n) => ({
        type: 'faulted' as const,
        outage: 1,
        kind: '500' as const,
        idempotencyKey: `invoice-${n}-attempt-1`,
        at: at(10_500),
      })),
      { type: 'outage-ended', outage: 1, at: at(11_500) },
    ]);
    const result = attributeUnknown(
      evidence({
        unknownInvoices: keys.map(String),
        unknownEvents: keys.map((n) => unknown(n, 'AMBIGUOUS_NETWORK_ERROR', 10_500)),
        // Both instances busy when the 500s began; then 8 claimed after, all of them: a
        // breaker that never opened.
        spans: [
          span(1, 'instance-1', 9_900, 10_100),
          span(2, 'instance-2', 9_900, 10_100),
          ...keys.map((n) => span(n, 'instance-1', 10_200, 10_500)),
        ],
        faults: log,
      }),
    );
    expect(result.perOutage).toEqual([
      { outage: 1, unknown: 8, inFlightAtStart: 2, probes: 2, bound: 4 },
    ]);
    expect(result.broken).toEqual([]);
    expect(result.outagesOverBound).toEqual([
      'outage 1: 8 UNKNOWN, more than the 2 calls in flight when it began plus 2 probes',
    ]);
  });

  describe('the first calls of an instance with none in flight when an outage began', () => {
    const log = faultLogOf([
      { type: 'window', outage: 1, kind: 'refused', at: at(10_000) },
      { type: 'outage-ended', outage: 1, at: at(11_000) },
    ]);
    const probesWith = (overrides: Partial<UnknownEvidence>) =>
      attributeUnknown(evidence({ faults: log, ...overrides })).perOutage[0].probes;

    it('one, its cold trial, for an instance idle (or not yet working) and one per restart during it', () => {
      // instance-1 busy when it began, then started again during it; instance-2 has no
      // attempt at all yet: both breakers cold. 2 probes (1 s each), 1 + 1.
      const probes = probesWith({
        spans: [span(1, 'instance-1', 9_900, 10_100)],
        restarts: [{ instanceId: 'instance-1', at: T0 + 10_500 }],
      });
      expect(probes).toBe(2 * 1 + 1 + 1);
    });

    it('a full round when its breaker was warm: an answer within 5 s (coldAfterMs) before', () => {
      const spans = [span(1, 'instance-1', 9_900, 10_100), span(2, 'instance-2', 4_900, 5_000)];
      expect(probesWith({ spans })).toBe(2 + 8);
      expect(probesWith({ spans: [spans[0], span(2, 'instance-2', 4_900, 4_999)] })).toBe(2 + 1);
    });

    it('a full round when its trial was unanswered for openMs (the hold lifted)', () => {
      // instance-2 cold; its first call in the outage took 1 s: the round may have followed.
      const busy = span(1, 'instance-1', 9_900, 10_100);
      expect(probesWith({ spans: [busy, span(2, 'instance-2', 10_200, 11_200)] })).toBe(2 + 8);
      expect(probesWith({ spans: [busy, span(2, 'instance-2', 10_200, 11_199)] })).toBe(2 + 1);
      // A restarted instance's first call, the same.
      const restarts = [{ instanceId: 'instance-1', at: T0 + 10_300 }];
      const slow = [
        busy,
        span(4, 'instance-2', 9_000, 9_100), // instance-2 warm and busy: nothing for it
        span(2, 'instance-2', 9_950, 10_050),
        span(3, 'instance-1', 10_400, 11_400),
      ];
      expect(probesWith({ spans: slow, restarts })).toBe(2 + 8);
    });

    it('the rest of a round for a busy instance whose one call in flight may be a cold trial that lifted its hold', () => {
      const other = span(1, 'instance-1', 9_900, 10_100);
      // instance-2's one call was sent cold (nothing for 5 s before) and took 1.2 s.
      expect(probesWith({ spans: [other, span(2, 'instance-2', 9_500, 10_700)] })).toBe(2 + 7);
      // Sent warm (an answer 1 s before): a failure holds its round, nothing more.
      const warm = [
        other,
        span(3, 'instance-2', 8_000, 8_500),
        span(2, 'instance-2', 9_500, 10_700),
      ];
      expect(probesWith({ spans: warm })).toBe(2);
    });
  });

  it("blames the simulator's lost answers, and timeouts with nothing else to blame", () => {
    const timeout = 'the charge of invoice 7 (key invoice-7-attempt-1): no answer within 1000 ms';
    const result = attributed(
      [
        unknown(6, 'AMBIGUOUS_NETWORK_ERROR', 1_000),
        unknown(7, 'AMBIGUOUS_NETWORK_ERROR', 1_000, timeout),
        unknown(8, 'ATTEMPT_TIMED_OUT', 9_000),
      ],
      {
        // 8: processed, but its instance (alive) did not record the answer in time.
        spans: [span(8, 'instance-1', 1_000, 9_000)],
        ledger: [
          { idempotencyKey: 'invoice-6-attempt-1', outcome: 'ambiguous_not_charged' },
          { idempotencyKey: 'invoice-7-attempt-1', outcome: 'paid' },
          { idempotencyKey: 'invoice-8-attempt-1', outcome: 'declined' },
        ],
      },
    );
    expect(result.byCause).toMatchObject({ 'lost-answer': 1, timeout: 2, unexplained: 0 });
    // 7 and 8 were processed: a lookup can still settle them (6's answer is not_found).
    expect(result.processedByProvider).toBe(2);
  });

  it('judges an invoice by the last event that made it UNKNOWN, and ignores invoices settled since', () => {
    const result = attributed(
      [
        unknown(2, 'AMBIGUOUS_NETWORK_ERROR', 500), // settled later by lookup: not UNKNOWN now
        { ...unknown(1, 'ATTEMPT_TIMED_OUT', 500), idempotencyKey: 'invoice-1-attempt-0' },
        unknown(1, 'AMBIGUOUS_NETWORK_ERROR', 1_000, 'no answer within 1000 ms'),
      ],
      { unknownInvoices: ['1'] },
    );
    expect(result.byCause).toMatchObject({ timeout: 1, unexplained: 0 });
  });

  it('calls an UNKNOWN invoice with no ChargeOutcomeUnknown unexplained', () => {
    const result = attributeUnknown(evidence({ unknownInvoices: ['1'] }));
    expect(result.unexplained).toEqual(['1 (no key): no ChargeOutcomeUnknown in the log']);
  });
});

describe('probesWithin', () => {
  it('follows the breaker: the first probe after openMs, then doubling waits up to maxOpenMs', () => {
    expect(probesWithin(999, BREAKER)).toBe(0);
    expect(probesWithin(1_000, BREAKER)).toBe(1);
    expect(probesWithin(3_000, BREAKER)).toBe(2);
    expect(probesWithin(7_000, BREAKER)).toBe(3);
    // 1, 3, 7, 15, 23: waits of 1, 2, 4, 8, 8 s.
    expect(probesWithin(23_000, BREAKER)).toBe(5);
  });
});

describe('readFaultLog', () => {
  it('reads the file the simulator wrote; no file is no fault; a bad line throws', () => {
    const dir = mkdtempSync(join(tmpdir(), 'antaeus-fault-log-'));
    try {
      const file = join(dir, 'faults.jsonl');
      expect(readFaultLog(file)).toBe(NO_FAULTS);
      expect(readFaultLog(null)).toBe(NO_FAULTS);
      const window = { type: 'window', outage: 1, kind: '500', at: at(0) };
      writeFileSync(file, `${JSON.stringify(window)}\n`);
      expect(readFaultLog(file).outages).toHaveLength(1);
      writeFileSync(file, `${JSON.stringify(window)}\n{"type":"window"}\n`);
      expect(() => readFaultLog(file)).toThrow(`${file}:2 is not a fault log entry`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('faultLogOf', () => {
  it('closes each window when the next opens or the outage ends, and keeps the last answer per key', () => {
    expect(OUTAGE.outages).toEqual([
      {
        outage: 1,
        windows: [
          { kind: '500', from: T0 + 10_000, to: T0 + 13_000 },
          { kind: '429', from: T0 + 13_000, to: T0 + 15_000 },
        ],
      },
    ]);
    expect(OUTAGE.faulted.get('invoice-9-attempt-1')).toEqual({
      outage: 1,
      kind: '429',
      at: T0 + 13_500,
    });
  });

  it('leaves a window open that never closed', () => {
    const log = faultLogOf([{ type: 'window', outage: 2, kind: 'refused', at: at(0) }]);
    expect(log.outages[0].windows[0].to).toBe(Infinity);
  });
});
