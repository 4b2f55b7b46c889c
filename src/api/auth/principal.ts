import type { ApiScope } from '../../config/app-config';

/** Who a request acts as: the API key's name, which the audit trail records. */
export interface Principal {
  readonly name: string;
  readonly scopes: ReadonlySet<ApiScope>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by ApiKeyGuard on every /rest/v1 request it lets through. */
    principal?: Principal;
  }
}
