import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { ApiKeys, GENERATED_KEY_NAME } from '../../src/api/auth/api-keys.service';
import { routesOf } from '../support/serve-http';
import { createTestApp } from './support/create-test-app';
import type { FakeWorld } from './support/fake-world';

const READ_KEY = 'finance-ro-key-0123456789abcdef';
const OPERATE_KEY = 'ops-key-0123456789abcdefghijkl';
const BOTH_KEY = 'admin-key-0123456789abcdefghij';
const ROTATED_KEY = 'finance-ro-key-NEW-0123456789ab';
const KEYS = JSON.stringify([
  { name: 'finance-ro', scopes: ['read'], key: READ_KEY },
  { name: 'finance-ro', scopes: ['read'], key: ROTATED_KEY },
  { name: 'ops', scopes: ['operate'], key: OPERATE_KEY },
  { name: 'admin', scopes: ['read', 'operate'], key: BOTH_KEY },
]);

const CREDENTIALS = {
  'no key': {},
  'wrong key': { Authorization: `Bearer ${READ_KEY.replace('f', 'F')}` },
  'read-only key': { Authorization: `Bearer ${READ_KEY}` },
  'operate key': { Authorization: `Bearer ${OPERATE_KEY}` },
} as const;
type Credential = keyof typeof CREDENTIALS;

/** What a route answers, as far as the guard is concerned: refused, or let through. */
type Outcome = 401 | 403 | 'through';

/** A value for each path parameter the routes have; a new parameter fails loudly here. */
const PARAMETERS: Record<string, string> = {
  invoiceId: '1',
  customerId: '1',
  runId: '2026-11',
  status: 'PENDING',
};

function concrete(url: string): string {
  return url.replace(/:(\w+)/g, (_, name: string) => {
    const value = PARAMETERS[name];
    if (value === undefined) throw new Error(`no test value for the path parameter :${name}`);
    return value;
  });
}

/** Reads need `read`, every other method `operate`; without a known key, 401 first. */
function expected(method: string, credential: Credential): Outcome {
  if (credential === 'no key' || credential === 'wrong key') return 401;
  const needs = method === 'GET' ? 'read' : 'operate';
  const has = credential === 'read-only key' ? 'read' : 'operate';
  return needs === has ? 'through' : 403;
}

describe('API keys', () => {
  let app: INestApplication;
  let world: FakeWorld;

  beforeEach(async () => {
    ({ app, world } = await createTestApp({ ANTAEUS_API_KEYS: KEYS }));
    world.addInvoice('1', 'FAILED');
  });

  afterEach(async () => {
    await app.close();
  });

  const server = () => request(app.getHttpServer());

  function apiRoutes() {
    return routesOf(app)
      .filter(({ url }) => url.startsWith('/rest/v1/'))
      .filter(({ method }) => method !== 'HEAD' && method !== 'OPTIONS');
  }

  it('guards every /rest/v1 route of the router: no key, wrong key 401; a missing scope 403', async () => {
    const routes = apiRoutes();
    // The enumeration itself must not come back empty or partial.
    expect(routes.length).toBeGreaterThanOrEqual(11);
    expect(routes).toContainEqual({ method: 'POST', url: '/rest/v1/billing-runs' });
    expect(routes).toContainEqual({ method: 'GET', url: '/rest/v1/events' });
    expect(routes).toContainEqual({ method: 'GET', url: '/rest/v1/events/stream' });

    const actual: Record<string, Record<Credential, Outcome>> = {};
    const wanted: Record<string, Record<Credential, Outcome>> = {};
    for (const { method, url } of routes) {
      const row = `${method} ${url}`;
      actual[row] = {} as Record<Credential, Outcome>;
      wanted[row] = {} as Record<Credential, Outcome>;
      for (const [credential, headers] of Object.entries(CREDENTIALS) as [
        Credential,
        Record<string, string>,
      ][]) {
        const response = await server()
          [method.toLowerCase() as 'get' | 'post'](concrete(url))
          .set(headers)
          .send(method === 'GET' ? undefined : {});
        expect(response.status).toBeLessThan(500);
        if (response.status === 401 || response.status === 403) {
          expect(response.body).toEqual({
            statusCode: response.status,
            error: response.status === 401 ? 'Unauthorized' : 'Forbidden',
            code: response.status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN',
            message: expect.any(String),
          });
          actual[row][credential] = response.status;
        } else {
          actual[row][credential] = 'through';
        }
        wanted[row][credential] = expected(method, credential);
      }
    }

    expect(actual).toEqual(wanted);
  });

  it('says which scope is missing, and names the key but never shows it', async () => {
    const response = await server()
      .post('/rest/v1/billing-runs')
      .set(CREDENTIALS['read-only key'])
      .expect(403);

    expect(response.body.message).toBe(
      'The API key "finance-ro" does not have the operate scope this route needs',
    );
    expect(JSON.stringify(response.body)).not.toContain(READ_KEY);
    expect(world.commands).toEqual([]);
  });

  it('answers 401 for an Authorization header that is not Bearer, with WWW-Authenticate', async () => {
    for (const header of [`Basic ${BOTH_KEY}`, BOTH_KEY, `Token ${BOTH_KEY}`, 'Bearer', '']) {
      const response = await server()
        .get('/rest/v1/invoices')
        .set({ Authorization: header })
        .expect(401);

      expect(response.body.code).toBe('UNAUTHORIZED');
      expect(response.headers['www-authenticate']).toBe('Bearer');
    }
  });

  it('accepts both keys of a rotation, and a key with both scopes everywhere', async () => {
    await server().get('/rest/v1/invoices/1').set(CREDENTIALS['read-only key']).expect(200);
    await server()
      .get('/rest/v1/invoices/1')
      .set({ Authorization: `Bearer ${ROTATED_KEY}` })
      .expect(200);
    await server()
      .get('/rest/v1/invoices/1')
      .set({ Authorization: `Bearer ${BOTH_KEY}` })
      .expect(200);
    await server()
      .post('/rest/v1/invoices/1/requeue')
      .set({ Authorization: `Bearer ${BOTH_KEY}` })
      .expect(202);
  });

  it("hands each write the acting key's name, whichever of a rotation's keys it used", async () => {
    await server().post('/rest/v1/invoices/1/requeue').set(CREDENTIALS['operate key']).expect(202);
    await server()
      .post('/rest/v1/billing-runs')
      .set({ Authorization: `Bearer ${BOTH_KEY}` });

    expect(world.commands).toEqual([
      expect.objectContaining({ invoiceId: '1', apiKeyName: 'ops' }),
      expect.objectContaining({ trigger: 'manual', apiKeyName: 'admin' }),
    ]);
  });

  it('leaves /rest/health open', async () => {
    await server().get('/rest/health').expect(200);
  });
});

describe('API keys with nothing configured', () => {
  it('generates one key with both scopes, different at every start', async () => {
    const first = await createTestApp({});
    const second = await createTestApp({});
    try {
      const key = first.app.get(ApiKeys).generatedKey!;
      first.world.addInvoice('1', 'FAILED');

      expect(key).toMatch(/^[\w-]{43}$/);
      expect(second.app.get(ApiKeys).generatedKey).not.toBe(key);
      const auth = { Authorization: `Bearer ${key}` };
      await request(first.app.getHttpServer()).get('/rest/v1/invoices').set(auth).expect(200);
      await request(first.app.getHttpServer())
        .post('/rest/v1/invoices/1/requeue')
        .set(auth)
        .expect(202);
      await request(second.app.getHttpServer()).get('/rest/v1/invoices').set(auth).expect(401);
      expect(first.world.commands).toEqual([
        expect.objectContaining({ invoiceId: '1', apiKeyName: GENERATED_KEY_NAME }),
      ]);
    } finally {
      await first.app.close();
      await second.app.close();
    }
  });

  it('makes none when ANTAEUS_API_TOKEN is set', async () => {
    const { app } = await createTestApp();
    try {
      expect(app.get(ApiKeys).generatedKey).toBeUndefined();
    } finally {
      await app.close();
    }
  });
});
