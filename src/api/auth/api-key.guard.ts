import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig, type ApiScope } from '../../config/app-config';
import { ForbiddenError } from '../errors/forbidden.error';
import { UnauthorizedError } from '../errors/unauthorized.error';
import { ApiKeys } from './api-keys.service';
import type { Principal } from './principal';
import { PUBLIC_WHEN, type PublicWhenSetting } from './public-when.decorator';
import { REQUIRED_SCOPE } from './requires-scope.decorator';

/** Every route under this prefix needs an API key; /rest/health stays open. */
export const GUARDED_PREFIX = '/rest/v1/';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * Global: every /rest/v1 route, present and future, needs `Authorization: Bearer <key>`
 * (401 without a known key) with the route's scope (403 without it), and gets the
 * key's principal on the request. A route elsewhere is guarded the same way when it
 * declares a scope (`/metrics`), unless its @PublicWhen setting opens it.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly keys: ApiKeys,
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const targets = [context.getHandler(), context.getClass()];
    const declared = this.reflector.getAllAndOverride<ApiScope | undefined>(
      REQUIRED_SCOPE,
      targets,
    );
    const underApi = (request.routeOptions.url ?? request.url).startsWith(GUARDED_PREFIX);
    if (!underApi && declared === undefined) return true;
    const open = this.reflector.getAllAndOverride<PublicWhenSetting | undefined>(
      PUBLIC_WHEN,
      targets,
    );
    if (open?.(this.config)) return true;
    const principal = this.authenticate(request.headers.authorization);
    const scope = declared ?? 'operate';
    if (!principal.scopes.has(scope)) {
      throw new ForbiddenError(
        `The API key "${principal.name}" does not have the ${scope} scope this route needs`,
      );
    }
    request.principal = principal;
    return true;
  }

  private authenticate(header: string | undefined): Principal {
    if (!header) {
      throw new UnauthorizedError('This route needs an API key: send Authorization: Bearer <key>');
    }
    const match = BEARER.exec(header);
    if (!match) {
      throw new UnauthorizedError('The Authorization header must be Bearer <key>');
    }
    const principal = this.keys.authenticate(match[1]);
    if (!principal) {
      throw new UnauthorizedError('The API key is not valid: send Authorization: Bearer <key>');
    }
    return principal;
  }
}
