import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  type CurrentRevision,
  type ExpectedRevision,
} from '../expected-revision';

/** The SQL functions take the expected revision as one bigint: see the migration. */
export function encodeExpected(expected: ExpectedRevision): string {
  if (expected === NO_STREAM) return '-1';
  if (expected === ANY) return '-2';
  if (expected === STREAM_EXISTS) return '-3';
  return expected.toString();
}

export function toCurrentRevision(revision: bigint): CurrentRevision {
  return revision < 0n ? NO_STREAM : revision;
}
