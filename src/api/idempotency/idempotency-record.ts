/** An answer as the client received it: replayed byte for byte. */
export interface StoredResponse {
  readonly status: number;
  /** The JSON body exactly as sent. */
  readonly body: string;
}

/** A row of `idempotency_keys`, as the begin decision needs it. */
export interface IdempotencyRecord {
  readonly requestId: string;
  readonly fingerprint: string;
  readonly state: 'in_progress' | 'completed';
  /** While in progress: the owner's lease ends then (a released key: already ended). */
  readonly lockedUntil: Date | null;
  readonly response: StoredResponse | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/** Whose key it is: the principal (today the one API token) and the route. */
export interface IdempotencyScope {
  readonly principal: string;
  /** `POST /rest/v1/invoices/:invoiceId/requeue`: one key namespace per route. */
  readonly route: string;
  readonly key: string;
}
