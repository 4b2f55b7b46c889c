import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Principal } from './principal';

/** The principal ApiKeyGuard authenticated for this request (every /rest/v1 route has one). */
export const ActingPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
    // Only reachable if a route outside /rest/v1 asks: a wiring bug, not a client's.
    if (!principal) throw new Error('ActingPrincipal used on a route ApiKeyGuard does not guard');
    return principal;
  },
);
