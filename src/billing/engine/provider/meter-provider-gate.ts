import type { AntaeusMetrics } from '../../../metrics/antaeus-metrics';
import type { ProviderGate } from './provider-gate';

const BREAKER_STATES = ['closed', 'half_open', 'open'] as const;

/** Shows the gate's breaker and back-off at each scrape (docs/operations.md, "Metrics"). */
export function meterProviderGate(gate: ProviderGate, metrics: AntaeusMetrics): void {
  metrics.collectOnScrape('provider_gate', async () => {
    const status = gate.status();
    let breaker: (typeof BREAKER_STATES)[number] = 'closed';
    if (status.state === 'unavailable') breaker = status.probing ? 'half_open' : 'open';
    for (const state of BREAKER_STATES) {
      metrics.providerBreakerState.set({ state }, state === breaker ? 1 : 0);
    }
    metrics.providerBackingOff.set(status.state === 'backing-off' ? 1 : 0);
  });
}
