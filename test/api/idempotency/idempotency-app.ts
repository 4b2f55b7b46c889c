import type { INestApplication } from '@nestjs/common';
import { IDEMPOTENCY_CLOCK } from '../../../src/api/idempotency/idempotency-clock';
import { IdempotencyStore } from '../../../src/api/idempotency/idempotency-store';
import {
  decideInvoice,
  evolveInvoice,
  initialInvoiceState,
  invoiceStream,
  type InvoiceCommand,
  type InvoiceEvent,
} from '../../../src/billing/domain';
import { InvoiceRepository } from '../../../src/billing/store/invoice-repository';
import { requestIdOf } from '../../../src/billing/store/event-metadata';
import { SQL_DATABASE } from '../../../src/database/database.module';
import type { SqlDatabase } from '../../../src/database/sql-database';
import { EVENT_STORE, type EventStore } from '../../../src/event-store/event-store.port';
import { NO_STREAM } from '../../../src/event-store/expected-revision';
import { ManualClock } from '../../billing/support/manual-clock';
import { serveServiceApp } from '../../support/serve-service-app';

export const TOKEN = 'idempotency-e2e-token-of-24-chars';
export const AUTH = { Authorization: `Bearer ${TOKEN}` };

/** The real service's API on one database: its event store, billing handlers and keys. */
export interface IdempotencyApp {
  readonly app: INestApplication;
  readonly events: EventStore;
  readonly db: SqlDatabase;
  readonly keys: IdempotencyStore;
  /** The clock of the Idempotency-Key records, stopped: moved only past a lease or the 24 h. */
  readonly clock: ManualClock;
  close(): Promise<void>;
}

/** One instance of the service on `env` (no background work: runs are only started). */
export async function startIdempotencyApp(
  env: Record<string, string>,
  instanceId = 'idempotency-e2e',
): Promise<IdempotencyApp> {
  const clock = ManualClock.stopped();
  const app = await serveServiceApp({
    env: {
      ...env,
      ANTAEUS_API_TOKEN: TOKEN,
      ANTAEUS_INSTANCE_ID: instanceId,
      ANTAEUS_SEED: 'false',
    },
    override: (builder) => builder.overrideProvider(IDEMPOTENCY_CLOCK).useValue(clock),
  });
  return {
    app,
    events: app.get(EVENT_STORE),
    db: app.get(SQL_DATABASE),
    keys: app.get(IdempotencyStore),
    clock,
    close: () => app.close(),
  };
}

/** Appends an invoice's history made of `commands` (each accepted) to its empty stream. */
export async function seedInvoice(
  events: EventStore,
  invoiceId: string,
  status: 'FAILED' | 'UNKNOWN',
): Promise<void> {
  const commands: InvoiceCommand[] = [
    {
      type: 'IssueInvoice',
      invoiceId,
      customerId: 'c1',
      amount: { value: '5.00', currency: 'EUR' },
    },
    { type: 'ClaimCharge', invoiceId, runId: '2025-05' },
    {
      type: 'RecordChargeOutcome',
      invoiceId,
      attempt: 1,
      outcome:
        status === 'FAILED'
          ? { kind: 'failed', reason: 'INSUFFICIENT_FUNDS' }
          : { kind: 'unknown' },
    },
  ];
  let state = initialInvoiceState;
  const history: InvoiceEvent[] = [];
  for (const command of commands) {
    const decision = decideInvoice(command, state, {
      now: new Date().toISOString(),
      instanceId: 'seed',
    });
    if (!decision.ok) throw new Error(decision.error.message);
    history.push(...decision.events);
    state = decision.events.reduce(evolveInvoice, state);
  }
  const repository = new InvoiceRepository(events);
  await repository.append(
    repository.appendRequest(invoiceId, history, NO_STREAM, {
      instanceId: 'seed',
      runId: null,
      causation: 'test-seed',
      causationId: null,
    }),
  );
}

/** How many events of `type` in the invoice's stream, and the request ids they carry. */
export function eventsOfType(
  events: EventStore,
  invoiceId: string,
  type: string,
): Promise<(string | undefined)[]> {
  return eventsIn(events, invoiceStream(invoiceId), type);
}

/** How many events of `type` in a stream, and the request ids they carry. */
export async function eventsIn(
  events: EventStore,
  stream: string,
  type: string,
): Promise<(string | undefined)[]> {
  const recorded = await events.readStream(stream);
  return recorded
    .filter((event) => event.type === type)
    .map((event) => requestIdOf(event.metadata));
}
