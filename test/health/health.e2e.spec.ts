import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { ProviderGate } from '../../src/billing/engine/provider/provider-gate';
import { DEFAULT_PROVIDER_GATE_CONFIG } from '../../src/config/provider-gate-config';
import { loadConfig } from '../../src/config/load-config';
import { startEsdbDouble, type EsdbDouble } from '../support/esdb-double/esdb-double';
import { serveHttp } from '../support/serve-http';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

async function startApp(env: Record<string, string>): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(loadConfig({ ANTAEUS_SEED: 'false', ...env }))],
  }).compile();
  return serveHttp(moduleRef);
}

describe('GET /rest/health on PostgreSQL', () => {
  let database: TestDatabase;
  let app: INestApplication;

  beforeAll(async () => {
    database = await createTestDatabase('health');
    app = await startApp({ DATABASE_URL: database.url });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers 200 with each component up', async () => {
    const response = await request(app.getHttpServer()).get('/rest/health').expect(200);
    expect(response.body).toEqual({
      status: 'up',
      eventStore: { status: 'up' },
      readModels: { status: 'up' },
      provider: { status: 'up' },
    });
  });

  it('reports the provider degraded, still 200, while the circuit breaker is open', async () => {
    const gate = app.get(ProviderGate);
    for (let i = 0; i < DEFAULT_PROVIDER_GATE_CONFIG.consecutiveFailures; i++) {
      const permit = gate.tryPermit();
      if (permit.ok) gate.failed(permit.permit, 'transient');
    }
    const response = await request(app.getHttpServer()).get('/rest/health').expect(200);
    expect(response.body).toMatchObject({
      status: 'up',
      provider: { status: 'degraded', state: 'unavailable', since: expect.any(String) },
    });
  });

  it('answers 503 naming what is down when the database goes away', async () => {
    await database.drop();
    const response = await request(app.getHttpServer()).get('/rest/health').expect(503);
    expect(response.body).toMatchObject({
      status: 'down',
      eventStore: { status: 'down', error: expect.any(String) },
      readModels: { status: 'down', error: expect.any(String) },
    });
  });
});

describe('GET /rest/health on EventStoreDB', () => {
  let database: TestDatabase;
  let double: EsdbDouble;
  let app: INestApplication;

  beforeAll(async () => {
    database = await createTestDatabase('health_esdb');
    double = await startEsdbDouble();
    app = await startApp({
      DATABASE_URL: database.url,
      ESDB_CONNECTION_STRING: double.connectionString,
    });
  });
  afterAll(async () => {
    await app?.close();
    await double?.stop();
    await database?.drop();
  });

  it('answers 200 while EventStoreDB answers', async () => {
    await request(app.getHttpServer()).get('/rest/health').expect(200);
  });

  it('answers 503 with the event store down and the read models up when EventStoreDB is unreachable', async () => {
    await double.stop();
    const response = await request(app.getHttpServer()).get('/rest/health').expect(503);
    expect(response.body).toMatchObject({
      status: 'down',
      eventStore: { status: 'down', error: expect.any(String) },
      readModels: { status: 'up' },
    });
  });
});
