/** Another writer kept changing the stream between our read and our append. */
export class ConcurrentWritesError extends Error {
  override readonly name = 'ConcurrentWritesError';

  constructor(stream: string, tries: number) {
    super(`${stream} changed under ${tries} attempts to write it; try again`);
  }
}
