import { isUnavailable } from '../../src/shared/is-unavailable';
import { EventStoreUnavailableError } from '../../src/event-store/errors/event-store-unavailable.error';
import { WrongExpectedVersionError } from '../../src/event-store/errors/wrong-expected-version.error';

describe('isUnavailable', () => {
  it.each([
    ['EventStoreUnavailableError', new EventStoreUnavailableError('down')],
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    ],
    ['an admin shutdown (57P01)', Object.assign(new Error('terminating'), { code: '57P01' })],
    ['a connection exception (08006)', Object.assign(new Error('x'), { code: '08006' })],
    ['a terminated connection', new Error('Connection terminated unexpectedly')],
    [
      'a wrapped driver error',
      new EventStoreUnavailableError('append failed', {
        cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }),
      }),
    ],
    [
      'a cause chain',
      new Error('read failed', { cause: Object.assign(new Error('y'), { code: '57P01' }) }),
    ],
    [
      'a backend terminated by an administrator',
      new Error('terminating connection due to administrator command'),
    ],
  ])('retries %s', (_name, error) => {
    expect(isUnavailable(error)).toBe(true);
  });

  it.each([
    ['a wrong expected version', new WrongExpectedVersionError('s', 1n, 2n)],
    ['a unique violation', Object.assign(new Error('dup'), { code: '23505' })],
    ['a plain bug', new TypeError('x is undefined')],
    ['a non-error', 'down'],
  ])('does not retry %s', (_name, error) => {
    expect(isUnavailable(error)).toBe(false);
  });
});
