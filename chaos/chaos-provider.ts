import type { ScriptedOutage } from '../src/provider-sim/fault-script';
import type { ProviderMode, SimulatorKind } from './chaos-options';
import { startHttpProviderSim } from './http-provider-sim';
import { inProcessProvider } from './in-process-provider';
import type { ProviderTraits } from '../test/support/service/money-checks';
import type { ServiceBuild } from '../test/support/service/service-build';
import type { Env } from '../test/support/service/service-process';

/** The payment provider of a chaos run, whichever simulator plays it. */
export interface ChaosProvider {
  readonly simulator: SimulatorKind;
  readonly traits: ProviderTraits;
  /** Where every delivered request is written, one JSON line each (readLedgerFile). */
  readonly ledgerFile: string;
  /** What the scripted outages did (readFaultLog); null: the simulator has none. */
  readonly faultLogFile: string | null;
  /** How long an instance waits for the provider's answer (0: it has no timeout). */
  readonly timeoutMs: number;
  /** What each service instance (and the CLI) needs in its environment to use it. */
  readonly serviceEnv: Env;
  /** The simulator's own output, for a failure report; empty in process. */
  tail(): string;
  stop(): Promise<void>;
}

export interface ProviderSettings {
  readonly mode: ProviderMode;
  readonly seed: number;
  readonly latencyMs: number;
  readonly jitterMs: number;
  readonly lookup: boolean;
  /** Scripted outages (the http simulator only). */
  readonly outages: readonly ScriptedOutage[];
  /** 503s and lost answers on ordinary requests. */
  readonly backgroundFaults: boolean;
  /** The declared processing deadline (the http simulator only); null: none. */
  readonly deadlineMs: number | null;
  /** Where the ledger file goes. */
  readonly dir: string;
  readonly build: ServiceBuild;
}

export function startProvider(
  simulator: SimulatorKind,
  settings: ProviderSettings,
): Promise<ChaosProvider> {
  return simulator === 'http'
    ? startHttpProviderSim(settings)
    : Promise.resolve(inProcessProvider(settings));
}
