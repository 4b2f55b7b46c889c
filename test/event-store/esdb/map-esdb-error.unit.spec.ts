import {
  UnavailableError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
} from '@eventstore/db-client';
import { EventStoreUnavailableError } from '../../../src/event-store/errors/event-store-unavailable.error';
import { WrongExpectedVersionError } from '../../../src/event-store/errors/wrong-expected-version.error';
import { mapEsdbError } from '../../../src/event-store/esdb/map-esdb-error';

describe('EventStoreDB adapter: error mapping', () => {
  it('maps by gRPC code, not class: a plain Error with code 14 or 4 is unavailable', () => {
    for (const code of [14, 4]) {
      const plain = Object.assign(new Error(`${code} grpc`), { code });
      const mapped = mapEsdbError(plain);
      expect(mapped).toBeInstanceOf(EventStoreUnavailableError);
      expect((mapped as Error).cause).toBe(plain);
    }
    expect(mapEsdbError(new UnavailableError())).toBeInstanceOf(EventStoreUnavailableError);
  });

  it("maps the client's wrong expected version to ours, no_stream when there is no current revision", () => {
    const esdb = new EsdbWrongExpectedVersionError(undefined, {
      streamName: 's',
      expected: 'no_stream',
      current: 'no_stream',
    });
    const mapped = mapEsdbError(esdb, { stream: 's', expected: 3n });
    expect(mapped).toBeInstanceOf(WrongExpectedVersionError);
    expect(mapped).toMatchObject({ stream: 's', expected: 3n, actual: 'no_stream' });
  });

  it('passes other errors through unchanged', () => {
    const other = Object.assign(new Error('bad'), { code: 3 });
    expect(mapEsdbError(other)).toBe(other);
    expect(mapEsdbError('text')).toBe('text');
  });
});
