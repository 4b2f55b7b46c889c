import type { INestApplication, LogLevel } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { TestingModule } from '@nestjs/testing';
import { createHttpAdapter } from '../../src/api/http-adapter';

/**
 * The module served as main.ts serves it (the same HTTP adapter), ready for supertest's
 * `request(app.getHttpServer())`.
 */
export async function serveHttp(
  moduleRef: TestingModule,
  logger: false | LogLevel[] = false,
): Promise<INestApplication> {
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(), {
    logger,
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
