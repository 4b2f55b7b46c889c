import {
  DEFAULT_SIMULATED_PROVIDER_CONFIG,
  type SimulatedProviderConfig,
} from '../../src/config/simulated-provider-config';
import type { ProviderSimOptions } from '../../src/provider-sim/provider-sim-options';
import { ProviderSimServer } from '../../src/provider-sim/provider-sim-server';

/**
 * The HTTP provider simulator for a test, started on a free local port: the default
 * simulated provider with `provider`'s changes, its ledger in `ledgerFile`, and no faults
 * of the server's own (no outages, no script) unless `server` asks for them.
 */
export async function startProviderSim(
  ledgerFile: string,
  provider: Partial<SimulatedProviderConfig> = {},
  server: Partial<Omit<ProviderSimOptions, 'provider'>> = {},
): Promise<ProviderSimServer> {
  const sim = new ProviderSimServer({
    host: '127.0.0.1',
    port: 0,
    lostAnswers: ['dropped'],
    stallMs: 2_000,
    outageEveryMs: 0,
    outageMs: 0,
    faults: [],
    retryAfterS: 1,
    ...server,
    provider: { ...DEFAULT_SIMULATED_PROVIDER_CONFIG, ...provider, ledgerFile },
  });
  await sim.start();
  return sim;
}
