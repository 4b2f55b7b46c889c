import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { RequeueInvoiceCommand } from '../../src/billing/commands/requeue-invoice.command';
import { ResolveInvoiceCommand } from '../../src/billing/commands/resolve-invoice.command';
import { createTestApp, TEST_TOKEN } from './support/create-test-app';
import { Gate, type FakeWorld } from './support/fake-world';
import { validationFailed } from './support/validation-failed';

describe('invoice actions', () => {
  let app: INestApplication;
  let world: FakeWorld;
  let auth: { Authorization: string };

  beforeEach(async () => {
    ({ app, world, auth } = await createTestApp());
  });

  afterEach(async () => {
    await app.close();
  });

  const post = (path: string) => request(app.getHttpServer()).post(path);

  describe('authorisation of mutating routes', () => {
    const routes = [
      '/rest/v1/invoices/1/requeue',
      '/rest/v1/invoices/1/resolve',
      '/rest/v1/billing-runs',
    ];
    const badHeaders: [string, Record<string, string>][] = [
      ['no header', {}],
      ['a wrong token', { Authorization: 'Bearer not-the-token' }],
      ['the token with a suffix', { Authorization: `Bearer ${TEST_TOKEN}x` }],
      ['a prefix of the token', { Authorization: `Bearer ${TEST_TOKEN.slice(0, -1)}` }],
      ['another scheme', { Authorization: `Basic ${TEST_TOKEN}` }],
      ['the scheme alone', { Authorization: 'Bearer' }],
      ['an empty header', { Authorization: '' }],
    ];

    describe.each(routes)('%s', (route) => {
      it.each(badHeaders)('answers 401 with %s and writes nothing', async (_, headers) => {
        world.addInvoice('1', 'FAILED');

        const response = await post(route)
          .set(headers)
          .send({ outcome: 'PAID', note: 'x' })
          .expect(401);

        expect(response.body).toMatchObject({
          statusCode: 401,
          error: 'Unauthorized',
          code: 'UNAUTHORIZED',
        });
        expect(response.body.message).toMatch(/Bearer/);
        expect(response.headers['www-authenticate']).toBe('Bearer');
        expect(world.commands).toEqual([]);
      });
    });

    it('accepts the scheme in any case', async () => {
      world.addInvoice('1', 'FAILED');

      await post('/rest/v1/invoices/1/requeue')
        .set({ Authorization: `bearer ${TEST_TOKEN}` })
        .expect(202);
    });
  });

  describe('POST /rest/v1/invoices/{invoiceId}/requeue', () => {
    it('answers 202 with the invoice now PENDING and the revision and position written', async () => {
      world.addInvoice('5', 'FAILED', { revision: 3n });

      const response = await post('/rest/v1/invoices/5/requeue').set(auth).expect(202);

      expect(response.body).toEqual({
        invoiceId: '5',
        status: 'PENDING',
        revision: '4',
        position: { commit: '1001', prepare: '1' },
      });
      expect(world.commands).toEqual([new RequeueInvoiceCommand('5', null, null, 'api-token')]);
      const after = await request(app.getHttpServer())
        .get('/rest/v1/invoices/5')
        .set(auth)
        .expect(200);
      expect(after.body).toMatchObject({ status: 'PENDING', revision: '4' });
    });

    it('passes the note and who asked to the command', async () => {
      world.addInvoice('5', 'FAILED');

      await post('/rest/v1/invoices/5/requeue')
        .set(auth)
        .send({ note: 'customer topped up', requestedBy: 'alice' })
        .expect(202);

      expect(world.commands).toEqual([
        new RequeueInvoiceCommand('5', 'alice', 'customer topped up', 'api-token'),
      ]);
    });

    it('answers 404 for an unknown invoice', async () => {
      const response = await post('/rest/v1/invoices/5/requeue').set(auth).expect(404);

      expect(response.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        code: 'INVOICE_NOT_FOUND',
        message: 'Invoice 5 does not exist',
      });
    });

    it.each(['PENDING', 'PROCESSING', 'PAID', 'UNKNOWN'] as const)(
      'answers 409 with the reason for a %s invoice',
      async (status) => {
        world.addInvoice('5', status);

        const response = await post('/rest/v1/invoices/5/requeue').set(auth).expect(409);

        expect(response.body).toEqual({
          statusCode: 409,
          error: 'Conflict',
          code: 'NOT_FAILED',
          message: `Invoice 5 is ${status}; only a FAILED invoice allows this`,
        });
        expect(world.invoices.get('5')?.status).toBe(status);
      },
    );

    it('of two concurrent requeues, one gets 202 and the other 409', async () => {
      world.addInvoice('5', 'FAILED', { revision: 3n });
      // Both requests read the invoice FAILED at revision 3 before either writes.
      const gate = new Gate(2);
      world.beforeWrite = () => gate.arrive();

      const responses = await Promise.all([
        post('/rest/v1/invoices/5/requeue').set(auth),
        post('/rest/v1/invoices/5/requeue').set(auth),
      ]);

      expect(responses.map((response) => response.status).sort()).toEqual([202, 409]);
      const loser = responses.find((response) => response.status === 409)!;
      expect(loser.body).toMatchObject({
        statusCode: 409,
        error: 'Conflict',
        code: 'WRONG_EXPECTED_VERSION',
      });
      expect(loser.body.message).toMatch(/read it again and retry/);
      expect(world.invoices.get('5')).toMatchObject({ status: 'PENDING', revision: 4n });
    });

    it.each([
      [{ note: 42 }, 'note must be a string'],
      [{ note: 'x'.repeat(1001) }, 'note must be at most 1000 characters'],
      [{ requestedBy: ['alice'] }, 'requestedBy must be a string'],
      [{ force: true }, 'force is not a known property'],
    ])('answers 400 naming the field for %j', async (body, message) => {
      world.addInvoice('5', 'FAILED');

      const response = await post('/rest/v1/invoices/5/requeue').set(auth).send(body).expect(400);

      expect(response.body).toEqual(validationFailed(message));
      expect(world.commands).toEqual([]);
    });

    it('answers 400 naming invoiceId for a bad id', async () => {
      const response = await post('/rest/v1/invoices/a$b/requeue').set(auth).expect(400);

      expect(response.body.message).toMatch(/^invoiceId must be /);
    });
  });

  describe('POST /rest/v1/invoices/{invoiceId}/resolve', () => {
    it.each(['PAID', 'FAILED'] as const)(
      'settles an UNKNOWN invoice as %s: 202 with the revision written',
      async (outcome) => {
        world.addInvoice('6', 'UNKNOWN', { revision: 2n });

        const response = await post('/rest/v1/invoices/6/resolve')
          .set(auth)
          .send({ outcome, note: 'checked the provider dashboard', resolvedBy: 'bob' })
          .expect(202);

        expect(response.body).toEqual({
          invoiceId: '6',
          status: outcome,
          revision: '3',
          position: { commit: '1001', prepare: '1' },
        });
        expect(world.commands).toEqual([
          new ResolveInvoiceCommand(
            '6',
            outcome,
            'checked the provider dashboard',
            'bob',
            'api-token',
          ),
        ]);
      },
    );

    it.each(['PENDING', 'PROCESSING', 'PAID', 'FAILED'] as const)(
      'answers 409 for a %s invoice',
      async (status) => {
        world.addInvoice('6', status);

        const response = await post('/rest/v1/invoices/6/resolve')
          .set(auth)
          .send({ outcome: 'PAID', note: 'checked' })
          .expect(409);

        expect(response.body).toMatchObject({ statusCode: 409, code: 'NOT_UNKNOWN' });
        expect(response.body.message).toBe(
          `Invoice 6 is ${status}; only a UNKNOWN invoice allows this`,
        );
      },
    );

    it('answers 404 for an unknown invoice', async () => {
      const response = await post('/rest/v1/invoices/6/resolve')
        .set(auth)
        .send({ outcome: 'FAILED', note: 'checked' })
        .expect(404);

      expect(response.body.code).toBe('INVOICE_NOT_FOUND');
    });

    it.each([
      [{}, 'outcome must be PAID or FAILED; note must be a string'],
      [{ note: 'checked' }, 'outcome must be PAID or FAILED'],
      [{ outcome: 'paid', note: 'checked' }, 'outcome must be PAID or FAILED'],
      [{ outcome: 'PENDING', note: 'checked' }, 'outcome must be PAID or FAILED'],
      [{ outcome: 'PAID' }, 'note must be a string'],
      [{ outcome: 'PAID', note: null }, 'note must be a string'],
      [{ outcome: 'PAID', note: { text: 'x' } }, 'note must be a string'],
      [{ outcome: 'PAID', note: '' }, 'note must not be empty'],
      [{ outcome: 'PAID', note: 'x'.repeat(1001) }, 'note must be at most 1000 characters'],
      [{ outcome: 'PAID', note: 'x', resolvedBy: 7 }, 'resolvedBy must be a string'],
      [{ outcome: 'PAID', note: 'x', admin: true }, 'admin is not a known property'],
    ])('answers 400 naming the field for %j', async (body, message) => {
      world.addInvoice('6', 'UNKNOWN');

      const response = await post('/rest/v1/invoices/6/resolve').set(auth).send(body).expect(400);

      expect(response.body).toEqual(validationFailed(message));
      expect(world.commands).toEqual([]);
    });

    it("maps the domain's INVALID_COMMAND (a blank note) to 400 with its message", async () => {
      world.addInvoice('6', 'UNKNOWN');

      const response = await post('/rest/v1/invoices/6/resolve')
        .set(auth)
        .send({ outcome: 'PAID', note: '   ' })
        .expect(400);

      expect(response.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        code: 'INVALID_COMMAND',
        message: 'note must not be blank',
      });
    });

    /** POST resolve of invoice 6 (UNKNOWN) with `body` sent as is, typed as JSON. */
    const resolveWithRawJson = (body: string) => {
      world.addInvoice('6', 'UNKNOWN');
      return post('/rest/v1/invoices/6/resolve')
        .set(auth)
        .set('Content-Type', 'application/json')
        .send(body);
    };

    it.each(['{"outcome": "PAID", note: "x"}', '{"outcome": "PAID"', "{'outcome':'PAID'}", ''])(
      'answers 400 INVALID_JSON for the body %s',
      async (body) => {
        const response = await resolveWithRawJson(body).expect(400);

        expect(response.body).toMatchObject({
          statusCode: 400,
          error: 'Bad Request',
          code: 'INVALID_JSON',
        });
        expect(response.body.message).toMatch(/^The request body is not valid JSON/);
      },
    );

    it.each(['[]', '[{"outcome":"PAID","note":"x"}]', 'null', '"PAID"'])(
      'answers 400 for a body that is not an object: %s',
      async (body) => {
        const response = await resolveWithRawJson(body).expect(400);

        expect(response.body.statusCode).toBe(400);
        expect(response.body.message).toMatch(/JSON/);
        expect(world.commands).toEqual([]);
      },
    );
  });
});
