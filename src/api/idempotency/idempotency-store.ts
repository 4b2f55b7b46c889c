import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { SQL_DATABASE } from '../../database/database.module';
import type { SqlDatabase } from '../../database/sql-database';
import type { KeyedRequest } from '../../shared/keyed-request';
import { decideBegin } from './decide-begin';
import { IDEMPOTENCY_CLOCK, type IdempotencyClock } from './idempotency-clock';
import type { IdempotencyRecord, IdempotencyScope, StoredResponse } from './idempotency-record';
import { IDEMPOTENCY_STATEMENTS as SQL, type IdempotencyRow } from './idempotency-statements';

/** How long a key is kept, and a replay answered, after its first request. */
export const IDEMPOTENCY_KEY_RETENTION_MS = 24 * 60 * 60 * 1000;
/**
 * How long a request holds its key before another may take it over (the owner is
 * presumed dead). Far above any request's time; a take-over of a live request is safe
 * anyway (the work is found done), it only runs twice.
 */
export const IDEMPOTENCY_LEASE_MS = 30_000;

/** The right to run the request of a key, and to store its answer. */
export interface IdempotencyLease {
  readonly scope: IdempotencyScope;
  readonly request: KeyedRequest;
  /** Names this holder: the instance, and this lease. */
  readonly lockedBy: string;
}

export type BeginResult =
  | { readonly kind: 'run'; readonly lease: IdempotencyLease }
  | { readonly kind: 'replay'; readonly response: StoredResponse }
  | { readonly kind: 'reused' }
  | { readonly kind: 'in-use' };

/** A begin that kept losing races to other requests with the same key. */
export class IdempotencyRaceError extends Error {
  override readonly name = 'IdempotencyRaceError';
}

const BEGIN_TRIES = 5;

/**
 * The Idempotency-Key records in the read-model database (PostgreSQL or PGlite), shared
 * by every instance. Each step is one statement whose conditions make it correct under
 * concurrency: an insert that does nothing on conflict (one request gets the key), a
 * take-over conditioned on the lease having ended (one request gets it), a completion
 * conditioned on the row still being in progress (the first answer is the one kept).
 */
@Injectable()
export class IdempotencyStore {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(IDEMPOTENCY_CLOCK) private readonly clock: IdempotencyClock,
  ) {}

  async begin(scope: IdempotencyScope, fingerprint: string): Promise<BeginResult> {
    for (let attempt = 1; attempt <= BEGIN_TRIES; attempt++) {
      const inserted = await this.insert(scope, fingerprint);
      if (inserted) return { kind: 'run', lease: inserted };
      const record = await this.find(scope);
      if (!record) continue; // deleted since the insert (it expired): try again
      const now = this.clock.now();
      const decision = decideBegin(record, fingerprint, now);
      if (decision.kind === 'expired') {
        await this.db.query(SQL.deleteExpired, [...keyOf(scope), now]);
      } else if (decision.kind === 'take-over') {
        const lease = await this.takeOver(scope, record, now);
        if (lease) return { kind: 'run', lease };
      } else {
        return decision;
      }
    }
    throw new IdempotencyRaceError(
      `Idempotency-Key ${scope.route}: ${BEGIN_TRIES} tries lost races with requests using the same key`,
    );
  }

  /**
   * Stores the answer unless another run of the same request stored one first; resolves
   * to the answer kept, which the client must get.
   */
  async complete(lease: IdempotencyLease, response: StoredResponse): Promise<StoredResponse> {
    const completed = await this.db.query(SQL.complete, [
      ...keyOf(lease.scope),
      lease.request.requestId,
      response.status,
      response.body,
    ]);
    if (completed.length > 0) return response;
    const record = await this.find(lease.scope);
    const kept = record?.requestId === lease.request.requestId ? record.response : null;
    return kept ?? response;
  }

  /** Ends the lease but keeps the key bound to this request: a retry runs it again. */
  async release(lease: IdempotencyLease): Promise<void> {
    await this.db.query(SQL.release, [
      ...keyOf(lease.scope),
      lease.request.requestId,
      lease.lockedBy,
      this.clock.now(),
    ]);
  }

  /** Deletes the key of a request that did nothing (refused before its handler ran). */
  async forget(lease: IdempotencyLease): Promise<void> {
    await this.db.query(SQL.forget, [
      ...keyOf(lease.scope),
      lease.request.requestId,
      lease.lockedBy,
    ]);
  }

  /** Deletes up to `limit` expired keys; resolves to how many it deleted. */
  async deleteExpired(limit: number): Promise<number> {
    const deleted = await this.db.query(SQL.deleteExpiredBatch, [this.clock.now(), limit]);
    return deleted.length;
  }

  private async insert(
    scope: IdempotencyScope,
    fingerprint: string,
  ): Promise<IdempotencyLease | null> {
    const now = this.clock.now();
    const request = { requestId: randomUUID(), firstSeenAt: now };
    const lockedBy = this.lockedBy();
    const rows = await this.db.query(SQL.insert, [
      ...keyOf(scope),
      request.requestId,
      fingerprint,
      lockedBy,
      new Date(now.getTime() + IDEMPOTENCY_LEASE_MS),
      now,
      new Date(now.getTime() + IDEMPOTENCY_KEY_RETENTION_MS),
    ]);
    return rows.length > 0 ? { scope, request, lockedBy } : null;
  }

  private async takeOver(
    scope: IdempotencyScope,
    record: IdempotencyRecord,
    now: Date,
  ): Promise<IdempotencyLease | null> {
    const lockedBy = this.lockedBy();
    const rows = await this.db.query(SQL.takeOver, [
      ...keyOf(scope),
      record.requestId,
      lockedBy,
      new Date(now.getTime() + IDEMPOTENCY_LEASE_MS),
      now,
    ]);
    if (rows.length === 0) return null;
    return {
      scope,
      request: { requestId: record.requestId, firstSeenAt: record.createdAt },
      lockedBy,
    };
  }

  private async find(scope: IdempotencyScope): Promise<IdempotencyRecord | null> {
    const [row] = await this.db.query<IdempotencyRow>(SQL.find, keyOf(scope));
    return row ? toRecord(row) : null;
  }

  private lockedBy(): string {
    return `${this.config.instanceId}/${randomUUID()}`;
  }
}

function keyOf({ principal, route, key }: IdempotencyScope): [string, string, string] {
  return [principal, route, key];
}

function toRecord(row: IdempotencyRow): IdempotencyRecord {
  const answered = row.response_status !== null && row.response_body !== null;
  return {
    requestId: row.request_id,
    fingerprint: row.fingerprint,
    state: row.state,
    lockedUntil: row.locked_until === null ? null : new Date(row.locked_until),
    response: answered ? { status: row.response_status!, body: row.response_body! } : null,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
  };
}
