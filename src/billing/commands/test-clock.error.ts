/**
 * A test-clock move refused: TEST_CLOCK_OFF when the service does not run on a test clock
 * (answered 404: the route does not exist for it), TEST_CLOCK_BACKWARDS when the target is
 * not later than now (400).
 */
export class TestClockError extends Error {
  override readonly name = 'TestClockError';

  constructor(
    readonly code: 'TEST_CLOCK_OFF' | 'TEST_CLOCK_BACKWARDS',
    message: string,
  ) {
    super(message);
  }
}
