import { Client } from 'pg';

/** A fact about one attempt, from the event log, with the time it was written. */
export interface AttemptEvent {
  /** opened: ChargeAttempted or ChargeRedriven; ended: the attempt's first outcome. */
  readonly kind: 'opened' | 'ended';
  readonly idempotencyKey: string;
  /** The instance that wrote it. */
  readonly instanceId: string;
  /** Epoch milliseconds: when it was written (the writing transaction's start). */
  readonly at: number;
  /**
   * opened: when the writer decided it (the event's `attemptedAt` or `redrivenAt`, the
   * instance's clock), before its append reached PostgreSQL.
   */
  readonly decidedAt?: number;
}

/** One SIGKILL of the plan: whom, and when it was sent (epoch milliseconds). */
export interface KillMark {
  readonly instanceId: string;
  readonly at: number;
}

/**
 * The calls each killed instance had in flight when it was killed: the attempts it had
 * claimed (or re-driven) and not yet seen end (docs/design.md §2.7: what a crash may
 * strand). `events` in log order. The claims of a page waiting for a charge slot count
 * too: an engine that claims ahead is told from one that claims just in time.
 */
export function inFlightAtKills(
  events: readonly AttemptEvent[],
  kills: readonly KillMark[],
): number[] {
  const spans = openSpans(events);
  return kills.map(
    (kill) =>
      spans.filter(
        (span) => span.instanceId === kill.instanceId && span.from <= kill.at && kill.at < span.to,
      ).length,
  );
}

/**
 * An attempt in one instance's hands, from its claim (or re-drive) to its end. The claim
 * is in its hands from the moment it decided it: a claim sent to PostgreSQL just before a
 * kill may be written (its transaction started) just after it, by a server slow to get
 * to it, and the victim never sent it to the provider.
 */
export interface OpenSpan {
  readonly idempotencyKey: string;
  readonly instanceId: string;
  readonly from: number;
  /** When the attempt ended or was re-driven by someone; Infinity if never. */
  readonly to: number;
}

/** Every attempt's spans in the hands of an instance; `events` in log order. */
export function openSpans(events: readonly AttemptEvent[]): OpenSpan[] {
  const spans: OpenSpan[] = [];
  const open = new Map<string, { instanceId: string; from: number }>();
  const close = (key: string, to: number) => {
    const span = open.get(key);
    if (span) spans.push({ idempotencyKey: key, ...span, to });
    open.delete(key);
  };
  for (const event of events) {
    // A re-drive passes the attempt on: the stale owner held it until then. An end of an
    // attempt not open (the late truth after UNKNOWN) changes nothing.
    close(event.idempotencyKey, event.at);
    if (event.kind === 'opened') {
      const from = Math.min(event.at, event.decidedAt ?? event.at);
      open.set(event.idempotencyKey, { instanceId: event.instanceId, from });
    }
  }
  for (const key of [...open.keys()]) close(key, Infinity);
  return spans;
}

const OPENED = ['ChargeAttempted', 'ChargeRedriven'];
const ENDED = ['InvoicePaid', 'ChargeFailed', 'ChargeOutcomeUnknown', 'ChargeWithdrawn'];

/**
 * The attempts' opening and first ending events, in log order. `created_at` is the
 * writing transaction's start: a claim written just before a kill counts as in flight, and
 * so, by its `attemptedAt`, does one decided before the kill and written just after.
 */
export async function readAttemptEvents(databaseUrl: string): Promise<AttemptEvent[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{
      event_type: string;
      key: string;
      instance_id: string;
      created_at: Date;
      decided_at: string | null;
    }>(
      `SELECT event_type, data->>'idempotencyKey' AS key, metadata->>'instanceId' AS instance_id,
              created_at, COALESCE(data->>'attemptedAt', data->>'redrivenAt') AS decided_at
         FROM events WHERE event_type = ANY($1)
        ORDER BY transaction_id, global_position`,
      [[...OPENED, ...ENDED]],
    );
    return rows.map((row) => ({
      kind: OPENED.includes(row.event_type) ? 'opened' : 'ended',
      idempotencyKey: row.key,
      instanceId: row.instance_id,
      at: row.created_at.getTime(),
      ...decided(row.decided_at),
    }));
  } finally {
    await client.end();
  }
}

function decided(at: string | null): { decidedAt?: number } {
  const decidedAt = at === null ? NaN : Date.parse(at);
  return Number.isFinite(decidedAt) ? { decidedAt } : {};
}
