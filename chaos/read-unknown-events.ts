import { Client } from 'pg';

/** A ChargeOutcomeUnknown: which attempt, why (the engine's reason and message), when. */
export interface UnknownEvent {
  readonly invoiceId: string;
  readonly idempotencyKey: string;
  /** AMBIGUOUS_NETWORK_ERROR (the engine's call) or ATTEMPT_TIMED_OUT (the recovery sweep). */
  readonly reason: string;
  readonly message: string;
  /** The instance that wrote it. */
  readonly instanceId: string;
  /** Epoch milliseconds (the writing transaction's start). */
  readonly at: number;
}

/** Every ChargeOutcomeUnknown in the log, in log order. */
export async function readUnknownEvents(databaseUrl: string): Promise<UnknownEvent[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{
      data: Omit<UnknownEvent, 'at'>;
      created_at: Date;
    }>(
      `SELECT data, created_at FROM events WHERE event_type = 'ChargeOutcomeUnknown'
        ORDER BY transaction_id, global_position`,
    );
    return rows.map(({ data, created_at: createdAt }) => ({
      invoiceId: data.invoiceId,
      idempotencyKey: data.idempotencyKey,
      reason: data.reason,
      message: data.message,
      instanceId: data.instanceId,
      at: createdAt.getTime(),
    }));
  } finally {
    await client.end();
  }
}
