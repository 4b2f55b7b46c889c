import type { ChargeRequest, PaymentProvider } from '../../payment-provider/payment-provider.port';
import type { StopSignal } from '../../shared/stop-signal';
import { classifyChargeError } from './classify-charge-error';
import {
  nextChargeStep,
  type ChargeEvent,
  type ChargeHistory,
  type ChargeStep,
} from './provider/next-charge-step';
import type { ProviderGate, SendPermit } from './provider/provider-gate';

/** What charging one claimed attempt needs. */
export interface ChargeAttemptPorts {
  readonly provider: PaymentProvider;
  readonly gate: ProviderGate;
  readonly signal: StopSignal;
  /** A short pause before the n-th resend (from 1), on top of waiting for the gate. */
  readonly resendDelayMs: (resend: number) => number;
  /** True once the claim is old enough for the recovery sweep to act on it. */
  readonly tooOld: () => boolean;
  /**
   * Waits for the shared rate limit (PAYMENT_PROVIDER_MAX_RPS) before the n-th send (from
   * 0); false when stopped first. Null: no limit.
   */
  readonly pace: ((sends: number) => Promise<boolean>) | null;
}

/** A step that ends the engine's part: record, withdraw, or leave open for the sweep. */
export type FinalChargeStep = Exclude<ChargeStep, { kind: 'resend' }>;

/**
 * Sends one claimed attempt to the provider through the gate, always with the attempt's
 * own key, until nextChargeStep says how it ends. The first send goes only if the gate
 * lets it at once (the claim was made when it did) or after a hold that a failure since
 * put on new calls; a resend waits for the gate.
 */
export async function chargeAttempt(
  request: ChargeRequest,
  ports: ChargeAttemptPorts,
  /** The attempt was sent before (a sweep's re-drive): it can only be left open, never withdrawn. */
  sentBefore = false,
): Promise<FinalChargeStep> {
  const { provider, gate } = ports;
  let history: ChargeHistory = {
    idempotent: provider.idempotent,
    sends: 0,
    mayHaveReachedProvider: sentBefore,
  };
  for (;;) {
    const ready = await sendPermit(history.sends, ports);
    let event: ChargeEvent;
    if ('permit' in ready) {
      event = await send(provider, gate, request, ready.permit);
      history = sent(history, event);
    } else {
      event = ready;
    }
    const step = nextChargeStep(event, history);
    if (step.kind !== 'resend') return step;
  }
}

function sent(history: ChargeHistory, event: ChargeEvent): ChargeHistory {
  const ambiguous = event.kind === 'error' && event.error.kind === 'ambiguous';
  return {
    ...history,
    sends: history.sends + 1,
    mayHaveReachedProvider: history.mayHaveReachedProvider || ambiguous,
  };
}

/** A permit to send now, or the event that stops the send. */
async function sendPermit(
  sends: number,
  { gate, signal, resendDelayMs, tooOld, pace }: ChargeAttemptPorts,
): Promise<{ readonly permit: SendPermit } | ChargeEvent> {
  if (signal.stopped) return { kind: 'stopping' };
  if (sends === 0) {
    if (pace && !(await pace(0))) return { kind: 'stopping' };
    if (tooOld()) return { kind: 'too-old' };
    const now = gate.tryPermit();
    if (now.ok) return { permit: now.permit };
    // Claimed while the gate was open; a failure since may hold it for the calls in flight.
    // Not past the age at which the sweep may act: a hold can last as long as a back-off.
    const answer = await gate.firstPermit(signal, tooOld);
    if (answer === null) return signal.stopped ? { kind: 'stopping' } : { kind: 'too-old' };
    if (!answer.ok) return { kind: 'gate-closed', why: answer.why };
    if (tooOld()) {
      gate.unused(answer.permit);
      return { kind: 'too-old' };
    }
    return { permit: answer.permit };
  }
  if (tooOld()) return { kind: 'too-old' };
  await signal.sleep(resendDelayMs(sends));
  // Not past the age at which the sweep may act: an open breaker can outlast it.
  const permit = await gate.permit(signal, tooOld);
  if (permit === null) return signal.stopped ? { kind: 'stopping' } : { kind: 'too-old' };
  // The gate first: a token is not held (and made stale) through a long outage.
  if (pace && !(await pace(sends))) {
    gate.unused(permit);
    return { kind: 'stopping' };
  }
  if (tooOld()) {
    gate.unused(permit);
    return { kind: 'too-old' };
  }
  return { permit };
}

/** One provider call, its answer told to the gate. */
async function send(
  provider: PaymentProvider,
  gate: ProviderGate,
  request: ChargeRequest,
  permit: SendPermit,
): Promise<ChargeEvent> {
  try {
    const paid = await provider.charge(request);
    gate.answered(permit);
    return {
      kind: 'answered',
      report: paid
        ? { kind: 'paid' }
        : { kind: 'failed', reason: 'INSUFFICIENT_FUNDS', message: 'balance too low' },
    };
  } catch (error) {
    const failure = classifyChargeError(error);
    if (failure.kind === 'failed') {
      gate.answered(permit);
      return {
        kind: 'answered',
        report: { kind: 'failed', reason: failure.reason, message: failure.message },
      };
    }
    if (failure.kind === 'transient' && failure.throttled) {
      gate.throttled(permit, failure.retryAfterMs);
    } else {
      gate.failed(permit, failure.kind, failure.kind === 'transient' ? failure.retryAfterMs : null);
    }
    return { kind: 'error', error: failure };
  }
}
