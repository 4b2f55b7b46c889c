import { UUID } from '@eventstore/db-client/generated/shared_pb';

const HYPHENATED =
  /^\{?([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\}?$/i;
const DIGITS = /^[0-9a-f]{32}$/i;

/**
 * The id of a proposed event, as the server parses it (.NET Guid: hyphenated, braced
 * or 32 digits; stored and returned as lowercase hyphenated text). Undefined when it
 * is not a GUID.
 */
export function parseUuid(message: UUID | undefined): string | undefined {
  if (!message) return undefined;
  if (message.hasStructured()) {
    const structured = message.getStructured() as UUID.Structured;
    const most = BigInt.asUintN(64, BigInt(structured.getMostSignificantBits()));
    const least = BigInt.asUintN(64, BigInt(structured.getLeastSignificantBits()));
    return formatDigits(most.toString(16).padStart(16, '0') + least.toString(16).padStart(16, '0'));
  }
  const text = message.getString();
  const hyphenated = HYPHENATED.exec(text);
  if (hyphenated) return formatDigits(hyphenated.slice(1).join(''));
  return DIGITS.test(text) ? formatDigits(text) : undefined;
}

/** The id in the form the read asked for (`uuid_option`: string or structured). */
export function toUuidMessage(id: string, structured: boolean): UUID {
  const message = new UUID();
  if (!structured) return message.setString(id);
  const digits = id.replace(/-/g, '');
  return message.setStructured(
    new UUID.Structured()
      .setMostSignificantBits(BigInt.asIntN(64, BigInt(`0x${digits.slice(0, 16)}`)).toString())
      .setLeastSignificantBits(BigInt.asIntN(64, BigInt(`0x${digits.slice(16)}`)).toString()),
  );
}

function formatDigits(digits: string): string {
  const d = digits.toLowerCase();
  return `${d.slice(0, 8)}-${d.slice(8, 12)}-${d.slice(12, 16)}-${d.slice(16, 20)}-${d.slice(20)}`;
}
