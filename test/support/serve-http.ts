import type { INestApplication, LogLevel } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { TestingModule } from '@nestjs/testing';
import { createHttpAdapter } from '../../src/api/http-adapter';

export interface ServedRoute {
  readonly method: string;
  /** As registered, with its parameters: `/rest/v1/invoices/:invoiceId`. */
  readonly url: string;
}

const ROUTES = new WeakMap<INestApplication, readonly ServedRoute[]>();

/**
 * The module served as main.ts serves it (the same HTTP adapter), ready for supertest's
 * `request(app.getHttpServer())`. The router's routes are recorded as Fastify registers
 * them: routesOf(app) lists every one, so a test over "every route" covers new ones.
 */
export async function serveHttp(
  moduleRef: TestingModule,
  logger: false | LogLevel[] = false,
): Promise<INestApplication> {
  const adapter = createHttpAdapter();
  const routes: ServedRoute[] = [];
  adapter.getInstance().addHook('onRoute', ({ method, url }) => {
    for (const each of [method].flat()) routes.push({ method: each, url });
  });
  const app = moduleRef.createNestApplication<NestFastifyApplication>(adapter, { logger });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  ROUTES.set(app, routes);
  return app;
}

export function routesOf(app: INestApplication): readonly ServedRoute[] {
  const routes = ROUTES.get(app);
  if (!routes) throw new Error('routesOf: this app was not served by serveHttp');
  return routes;
}
