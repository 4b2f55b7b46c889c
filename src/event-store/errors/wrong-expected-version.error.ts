import {
  describeRevision,
  type CurrentRevision,
  type ExpectedRevision,
} from '../expected-revision';

/** The stream was not where the writer expected it: somebody else appended first. */
export class WrongExpectedVersionError extends Error {
  override readonly name = 'WrongExpectedVersionError';
  readonly code = 'WRONG_EXPECTED_VERSION';

  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    readonly actual: CurrentRevision,
  ) {
    super(
      `Wrong expected version on stream "${stream}": expected ${describeRevision(expected)}, actual ${describeRevision(actual)}`,
    );
  }
}
