import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { UnauthorizedError } from '../errors/unauthorized.error';
import { ApiTokenService } from './api-token.service';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** Mutating routes: `Authorization: Bearer <token>`, or 401. */
@Injectable()
export class BearerTokenGuard implements CanActivate {
  constructor(private readonly tokens: ApiTokenService) {}

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization;
    if (!header) {
      throw new UnauthorizedError('This route needs an Authorization: Bearer <token> header');
    }
    const match = BEARER.exec(header);
    if (!match || !this.tokens.matches(match[1])) {
      throw new UnauthorizedError(
        'The bearer token is not valid: send Authorization: Bearer <token>',
      );
    }
    return true;
  }
}
