/** The projector's session ended while it was projecting: another instance may take over. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';

  constructor(readonly projection: string) {
    super(`projection ${projection}: the lease's connection ended; the lease is lost`);
  }
}
