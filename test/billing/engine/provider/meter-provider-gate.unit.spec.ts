import { meterProviderGate } from '../../../../src/billing/engine/provider/meter-provider-gate';
import { ProviderGate } from '../../../../src/billing/engine/provider/provider-gate';
import { AntaeusMetrics } from '../../../../src/metrics/antaeus-metrics';
import { parsePrometheusText, sumOf } from '../../../support/prometheus-text';

function permit(gate: ProviderGate) {
  const answer = gate.tryPermit();
  if (!answer.ok) throw new Error(`no permit: ${answer.why}`);
  return answer.permit;
}

describe('meterProviderGate', () => {
  it("shows the breaker's state and the back-off at each scrape", async () => {
    let now = Date.parse('2026-12-03T10:00:00Z');
    const gate = new ProviderGate(
      {
        breaker: {
          consecutiveFailures: 2,
          failureRatio: 1,
          window: 10,
          openMs: 1_000,
          maxOpenMs: 4_000,
          holdAfterAmbiguous: true,
        },
        maxBackoffMs: 5_000,
        defaultBackoffMs: 500,
        probePollMs: 50,
      },
      () => now,
    );
    gate.answered(permit(gate)); // warm: a first call answered
    const metrics = new AntaeusMetrics();
    meterProviderGate(gate, metrics);
    const scrape = async () => {
      const samples = parsePrometheusText(await metrics.scrape());
      return {
        breaker: ['closed', 'half_open', 'open'].map((state) =>
          sumOf(samples, 'antaeus_provider_breaker_state', { state }),
        ),
        backingOff: sumOf(samples, 'antaeus_provider_backing_off'),
      };
    };

    expect(await scrape()).toEqual({ breaker: [1, 0, 0], backingOff: 0 });
    const calls = [permit(gate), permit(gate)];
    for (const call of calls) gate.failed(call, 'ambiguous');
    expect(await scrape()).toEqual({ breaker: [0, 0, 1], backingOff: 0 });
    now += 1_000;
    const probe = permit(gate);
    expect(await scrape()).toEqual({ breaker: [0, 1, 0], backingOff: 0 });
    gate.answered(probe);
    gate.throttled(permit(gate), 2_000);
    expect(await scrape()).toEqual({ breaker: [1, 0, 0], backingOff: 1 });
  });
});
