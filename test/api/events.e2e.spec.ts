import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { RecordedEvent } from '../../src/event-store/recorded-event';
import { createTestApp, TEST_AUTH } from './support/create-test-app';
import type { FakeWorld } from './support/fake-world';
import { fieldErrorOf } from './support/validation-failed';

function event(stream: string, revision: bigint, commit: bigint, prepare: bigint): RecordedEvent {
  return {
    id: `${stream}-${revision}`,
    stream,
    revision,
    position: { commit, prepare },
    type: revision === 0n ? 'InvoiceIssued' : 'ChargeAttempted',
    data: { invoiceId: stream.slice('invoice-'.length) },
    metadata: { instanceId: 'i-1', runId: null, apiKeyName: 'ops', secret: 'never-published-x' },
    createdAt: new Date('2026-11-01T00:00:00.000Z'),
  };
}

/** The feed's answers and refusals over the API's fakes (the real log: event-feed.real.e2e). */
describe('GET /rest/v1/events', () => {
  let app: INestApplication;
  let world: FakeWorld;

  beforeAll(async () => {
    ({ app, world } = await createTestApp());
    // Global order is by (commit, prepare), whichever stream an event is in.
    world.streams.set('invoice-1', [
      event('invoice-1', 0n, 10n, 1n),
      event('invoice-1', 1n, 12n, 4n),
    ]);
    world.streams.set('invoice-2', [event('invoice-2', 0n, 11n, 2n)]);
  });

  afterAll(async () => {
    await app.close();
  });

  const get = (url: string) => request(app.getHttpServer()).get(url).set(TEST_AUTH);

  it('pages the whole log in global order, next leading to the following page', async () => {
    const first = await get('/rest/v1/events?limit=2').expect(200);
    const second = await get(`/rest/v1/events?limit=2&after=${first.body.next}`).expect(200);
    const past = await get(`/rest/v1/events?after=${second.body.next}`).expect(200);

    expect(first.body.items.map((item: { cursor: string }) => item.cursor)).toEqual([
      '10/1',
      '11/2',
    ]);
    expect(first.body.next).toBe('11/2');
    expect(second.body).toMatchObject({ items: [{ cursor: '12/4' }], next: '12/4' });
    expect(past.body).toEqual({ items: [], next: '12/4' });
    expect(first.body.items[0]).toEqual({
      cursor: '10/1',
      position: { commit: '10', prepare: '1' },
      id: 'invoice-1-0',
      type: 'InvoiceIssued',
      stream: 'invoice-1',
      revision: '0',
      time: '2026-11-01T00:00:00.000Z',
      data: { invoiceId: '1' },
      metadata: { instanceId: 'i-1', runId: null, apiKeyName: 'ops' },
    });
  });

  it.each([
    ['after=abc', 'after must be a position of the log'],
    ['after=12', 'after must be a position of the log'],
    ['after=-1/-1', 'after must be a position of the log'],
    ['after=99999999999999999999/1', 'after must be a position of the log'],
    ['after=9223372036854775808/0', 'after must be a position of the log'],
    ['limit=0', 'limit must be between 1 and 1000'],
    ['limit=1001', 'limit must be between 1 and 1000'],
    ['limit=abc', 'limit must be a whole number between 1 and 1000'],
    ['limit=1.5', 'limit must be a whole number between 1 and 1000'],
    ['size=10', 'size is not a known property'],
  ])('refuses ?%s with 400', async (query, message) => {
    const response = await get(`/rest/v1/events?${query}`).expect(400);

    expect(response.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining(message),
      errors: [
        {
          ...fieldErrorOf(message),
          message: expect.stringContaining(fieldErrorOf(message).message),
        },
      ],
    });
  });

  it('streams the log as Server-Sent Events, ids the cursors, from Last-Event-ID', async () => {
    const response = await get('/rest/v1/events/stream').set('Last-Event-ID', '10/1').expect(200);

    expect(response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    const ids = [...response.text.matchAll(/^id: (.+)$/gm)].map((match) => match[1]);
    expect(ids).toEqual(['11/2', '12/4']);
    expect(response.text).not.toContain('never-published');
  });

  it.each([
    ['Last-Event-ID', 'not-a-position', 'Last-Event-ID must be a position of the log'],
    ['after', '1/x', 'after must be a position of the log'],
  ])('refuses a stream whose %s is %s with 400', async (where, value, message) => {
    const call = get(
      where === 'after' ? `/rest/v1/events/stream?after=${value}` : '/rest/v1/events/stream',
    );
    const response = await (where === 'after' ? call : call.set(where, value)).expect(400);

    expect(response.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining(message),
    });
  });
});
