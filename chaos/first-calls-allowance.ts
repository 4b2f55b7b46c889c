import { coldAfterMs } from '../src/billing/engine/provider/circuit-breaker';
import type { ProviderGateConfig } from '../src/config/provider-gate-config';
import type { KillMark, OpenSpan } from './in-flight-at-kills';

export interface FirstCallsEvidence {
  readonly spans: readonly OpenSpan[];
  /** When each instance killed (or crashed) was up again: its breaker starts cold. */
  readonly restarts: readonly KillMark[];
  readonly instances: number;
  readonly concurrency: number;
  readonly breaker: Pick<ProviderGateConfig, 'openMs'>;
}

/**
 * What the breakers may send into an outage beginning at `start` (ending at `end`) before
 * any of them holds, besides the calls in flight when it began and the probes (a breaker
 * learns of an outage only from its own calls' answers; docs/design.md §2.6):
 * - an instance with nothing in flight at `start`: one call if its breaker was cold (no
 *   attempt of it ended within `coldAfterMs`: its first call goes alone, as a trial), a
 *   full round (`concurrency`) if it was warm;
 * - each (re)start during the outage: one call (a new breaker is cold);
 * - a trial unanswered for `openMs` lets the round go after it: then a full round for that
 *   instance or restart instead of one (for a busy instance whose one call in flight at
 *   `start` may have been such a trial, the rest of the round).
 * Attempts' spans end after the breaker heard their answer, so an instance is taken for
 * warm, and a trial for slow, whenever it may have been. A non-idempotent provider's
 * breaker only: an idempotent provider's answers are never UNKNOWN.
 */
export function firstCallsAllowance(
  start: number,
  end: number,
  evidence: FirstCallsEvidence,
): number {
  const { spans, concurrency } = evidence;
  const openMs = evidence.breaker.openMs;
  const coldAfter = coldAfterMs(evidence.breaker);
  const byInstance = new Map<string, OpenSpan[]>();
  for (const span of spans) {
    const spansOf = byInstance.get(span.instanceId);
    if (spansOf) spansOf.push(span);
    else byInstance.set(span.instanceId, [span]);
  }
  const own = (instanceId: string) => byInstance.get(instanceId) ?? [];
  const lifted = (span: OpenSpan | undefined) =>
    span !== undefined && span.to - span.from >= openMs;
  const warmAt = (instanceId: string, at: number) =>
    own(instanceId).some((span) => span.from <= at && (span.to > at || span.to >= at - coldAfter));
  const firstFrom = (instanceId: string, at: number) =>
    own(instanceId)
      .filter((span) => span.from >= at && span.from < end)
      .sort((a, b) => a.from - b.from)[0];
  const oneOrRound = (instanceId: string, at: number) =>
    lifted(firstFrom(instanceId, at)) ? concurrency : 1;

  let allowance = 0;
  let seenIdle = 0;
  const ids = new Set([...byInstance.keys(), ...evidence.restarts.map((mark) => mark.instanceId)]);
  for (const instanceId of ids) {
    const inFlight = own(instanceId).filter((span) => span.from <= start && start < span.to);
    if (inFlight.length === 0) {
      seenIdle++;
      allowance += warmAt(instanceId, start) ? concurrency : oneOrRound(instanceId, start);
    } else if (inFlight.length === 1) {
      const [only] = inFlight;
      const trial = !warmAt(instanceId, only.from - 1) && lifted(only);
      if (trial) allowance += concurrency - 1;
    }
  }
  // Instances with no attempt at all (not yet working the run): cold since they started.
  const busy = [...ids].filter((id) =>
    own(id).some((span) => span.from <= start && start < span.to),
  ).length;
  allowance += Math.max(0, evidence.instances - busy - seenIdle);
  for (const mark of evidence.restarts) {
    if (start <= mark.at && mark.at < end) allowance += oneOrRound(mark.instanceId, mark.at);
  }
  return allowance;
}
