import {
  Injectable,
  Logger,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { runInKeyedRequest } from '../../shared/keyed-request';
import { apiErrorBody, toApiError } from '../errors/to-api-error';
import { IdempotencyKeyError } from './idempotency-key.error';
import { IDEMPOTENCY_KEY_HEADER, idempotencyKeyOf } from './idempotency-key-header';
import type { IdempotencyScope, StoredResponse } from './idempotency-record';
import { IdempotencyStore, type IdempotencyLease } from './idempotency-store';
import { keyAfterError } from './key-after-error';
import { requestFingerprint } from './request-fingerprint';

/** Marks an answer that is a stored one sent again. */
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

/** Whose keys these are: the one API token until named API keys arrive. */
const API_TOKEN_PRINCIPAL = 'api-token';

/**
 * Idempotency-Key for a route (see Idempotent()): the first request with a key runs and
 * its answer is stored; the same request again within 24 h gets that answer byte for
 * byte, and nothing runs. It runs after the bearer-token guard (no key is looked at for a
 * caller who may not write) and before the route's validation pipes.
 *
 * A client only ever receives a stored answer: if storing it fails, the request answers
 * as the failure does (503), and a retry runs the request again, which finds its own
 * events (their metadata names the request) and answers as the first run would have.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Api');

  constructor(private readonly store: IdempotencyStore) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const key = idempotencyKeyOf(request.raw);
    if (key === null) return next.handle();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return from(this.serve(request, reply, key, next));
  }

  private async serve(
    request: FastifyRequest,
    reply: FastifyReply,
    key: string,
    next: CallHandler,
  ): Promise<unknown> {
    const route = request.routeOptions.url ?? request.url;
    const scope: IdempotencyScope = {
      principal: request.principal?.name ?? API_TOKEN_PRINCIPAL,
      route: `${request.method} ${route}`,
      key,
    };
    const fingerprint = requestFingerprint({
      method: request.method,
      route,
      params: request.params,
      body: request.body,
    });
    const begun = await this.store.begin(scope, fingerprint);
    switch (begun.kind) {
      case 'run':
        return this.run(begun.lease, reply, next);
      case 'replay':
        return replayed(begun.response);
      case 'reused':
        throw new IdempotencyKeyError(
          'IDEMPOTENCY_KEY_REUSED',
          `This ${IDEMPOTENCY_KEY_HEADER} was used with another request (other path parameters or body) in the last 24 hours; use a new key for a new request`,
        );
      case 'in-use':
        throw new IdempotencyKeyError(
          'IDEMPOTENCY_KEY_IN_USE',
          `A request with this ${IDEMPOTENCY_KEY_HEADER} is still running; retry once it has answered`,
        );
    }
  }

  private async run(lease: IdempotencyLease, reply: FastifyReply, next: CallHandler) {
    let value: unknown;
    try {
      value = await runInKeyedRequest(lease.request, () =>
        lastValueFrom(next.handle(), { defaultValue: undefined }),
      );
    } catch (error) {
      return this.afterError(lease, error);
    }
    const ours = { status: reply.statusCode, body: JSON.stringify(value) ?? '' };
    const kept = await this.keep(lease, ours);
    return kept === ours ? value : replayed(kept);
  }

  /** Stores a definite refusal as the answer; frees the key of a retryable failure. */
  private async afterError(lease: IdempotencyLease, error: unknown): Promise<unknown> {
    const apiError = toApiError(error);
    const fate = keyAfterError(apiError);
    if (fate === 'store') {
      const ours = { status: apiError.statusCode, body: JSON.stringify(apiErrorBody(apiError)) };
      const kept = await this.keep(lease, ours);
      if (kept !== ours) return replayed(kept);
    } else {
      await (fate === 'release' ? this.store.release(lease) : this.store.forget(lease)).catch(
        (storeError: Error) =>
          this.logger.warn(`Could not free an ${IDEMPOTENCY_KEY_HEADER}: ${storeError.message}`),
      );
    }
    throw error;
  }

  /** The answer stored for the request (ours, or that of a run that stored one first). */
  private async keep(lease: IdempotencyLease, ours: StoredResponse): Promise<StoredResponse> {
    try {
      return await this.store.complete(lease, ours);
    } catch (error) {
      await this.store.release(lease).catch(() => undefined);
      throw error;
    }
  }
}

/** A stored answer as a web Response: Nest sends its status and headers as they are. */
function replayed({ status, body }: StoredResponse): Response {
  const headers: Record<string, string> = { [IDEMPOTENT_REPLAYED_HEADER]: 'true' };
  if (body !== '') headers['Content-Type'] = 'application/json; charset=utf-8';
  return new Response(body === '' ? null : body, { status, headers });
}
