import { ReadReq } from '@eventstore/db-client/generated/streams_pb';
import type { StoredEvent } from './in-memory-log';

export type EventPredicate = (event: StoredEvent) => boolean;

/**
 * A `$all` filter as the server applies it: on the stream name or the event type,
 * by prefixes (any one matches) or by a regular expression (a search, as .NET's
 * Regex.IsMatch, not anchored unless the pattern is). No filter passes everything,
 * system events included.
 */
export function toEventPredicate(options: ReadReq.Options): EventPredicate {
  if (!options.hasFilter()) return () => true;
  const filter = options.getFilter() as ReadReq.Options.FilterOptions;
  if (filter.hasStreamIdentifier()) {
    const matches = expressionMatcher(
      filter.getStreamIdentifier() as ReadReq.Options.FilterOptions.Expression,
    );
    return (event) => matches(event.stream);
  }
  if (filter.hasEventType()) {
    const matches = expressionMatcher(
      filter.getEventType() as ReadReq.Options.FilterOptions.Expression,
    );
    return (event) => matches(event.type);
  }
  return () => true;
}

function expressionMatcher(
  expression: ReadReq.Options.FilterOptions.Expression,
): (text: string) => boolean {
  const regex = expression.getRegex();
  if (regex) {
    const pattern = new RegExp(regex);
    return (text) => pattern.test(text);
  }
  const prefixes = expression.getPrefixList();
  return (text) => prefixes.some((prefix) => text.startsWith(prefix));
}

/**
 * How many scanned events a filtered subscription lets pass between checkpoints: the
 * search window (default 32 events, or `max`) times the checkpoint interval multiplier.
 */
export function checkpointEvery(options: ReadReq.Options): number | undefined {
  if (!options.hasFilter()) return undefined;
  const filter = options.getFilter() as ReadReq.Options.FilterOptions;
  const window = filter.hasMax() ? filter.getMax() : 32;
  return Math.max(1, window * Math.max(1, filter.getCheckpointintervalmultiplier()));
}
