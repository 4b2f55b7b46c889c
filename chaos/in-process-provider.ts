import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChaosProvider, ProviderSettings } from './chaos-provider';

/**
 * The simulated provider inside each instance (PAYMENT_PROVIDER=simulated), every
 * instance appending to one ledger file. Its memory of keys is per process: idempotent
 * replays and lookups do not cross instances (see ProviderTraits.sharedMemory).
 */
export function inProcessProvider(settings: ProviderSettings): ChaosProvider {
  const ledgerFile = join(settings.dir, 'ledger.jsonl');
  writeFileSync(ledgerFile, '');
  const idempotent = settings.mode === 'idempotent';
  return {
    simulator: 'in-process',
    traits: { idempotent, sharedMemory: false },
    ledgerFile,
    faultLogFile: null,
    timeoutMs: 0,
    serviceEnv: {
      PAYMENT_PROVIDER: 'simulated',
      SIMULATED_SEED: String(settings.seed),
      SIMULATED_IDEMPOTENT: String(idempotent),
      SIMULATED_LOOKUP: String(settings.lookup),
      SIMULATED_LATENCY_MS: String(settings.latencyMs),
      SIMULATED_LATENCY_JITTER_MS: String(settings.jitterMs),
      SIMULATED_LEDGER_FILE: ledgerFile,
    },
    tail: () => '',
    stop: () => Promise.resolve(),
  };
}
