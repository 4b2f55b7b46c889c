import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { formatFaultScript } from '../src/provider-sim/fault-script';
import type { ChaosProvider, ProviderSettings } from './chaos-provider';
import { buildFile } from '../test/support/service/service-build';

const READY_WITHIN_MS = 30_000;
/** The service's timeout per provider call; the simulator's stalls outlast it. */
const PROVIDER_TIMEOUT_MS = 1_000;
const LOG_LINES_KEPT = 200;

/** Failure rates of the provider simulator's outcomes; `paid` takes the rest. */
const RATES: Readonly<Record<string, number>> = {
  'declined-rate': 0.04,
  'customer-not-found-rate': 0.01,
  'currency-mismatch-rate': 0.01,
  'unavailable-rate': 0.02,
  'ambiguous-charged-rate': 0.01,
  'ambiguous-not-charged-rate': 0.01,
};

/** The rates that put the transport at fault, zero without background faults. */
const TRANSPORT_FAULT_RATES = [
  'unavailable-rate',
  'ambiguous-charged-rate',
  'ambiguous-not-charged-rate',
];

/**
 * The provider simulator as its own process (`node <build>/src/provider-sim/main.js`),
 * which the instances call over HTTP (PAYMENT_PROVIDER=http). It outlives every kill of
 * an instance, and its memory of keys is shared by all of them.
 */
export async function startHttpProviderSim(settings: ProviderSettings): Promise<ChaosProvider> {
  const ledgerFile = join(settings.dir, 'provider-ledger.jsonl');
  const faultLogFile = join(settings.dir, 'provider-faults.jsonl');
  const idempotent = settings.mode === 'idempotent';
  const args = [
    ...['--port', '0', '--ledger', ledgerFile, '--mode', settings.mode],
    ...['--fault-log', faultLogFile],
    ...(settings.lookup ? [] : ['--no-lookup']),
    ...['--seed', String(settings.seed)],
    ...['--latency-ms', String(settings.latencyMs), '--jitter-ms', String(settings.jitterMs)],
    ...Object.entries(RATES).flatMap(([name, rate]) => [
      `--${name}`,
      String(!settings.backgroundFaults && TRANSPORT_FAULT_RATES.includes(name) ? 0 : rate),
    ]),
    ...['--stall-ms', String(PROVIDER_TIMEOUT_MS + 500)],
    ...(settings.outages.length > 0 ? ['--faults', formatFaultScript(settings.outages)] : []),
    ...(settings.deadlineMs === null ? [] : ['--deadline-ms', String(settings.deadlineMs)]),
  ];
  const child = spawn(
    process.execPath,
    ['--enable-source-maps', buildFile(settings.build, 'src/provider-sim/main.js'), ...args],
    { cwd: settings.build.root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const log: string[] = [];
  const keep = (line: string) => {
    log.push(line);
    if (log.length > LOG_LINES_KEPT) log.shift();
  };
  createInterface({ input: child.stderr! }).on('line', keep);
  const url = await listeningUrl(child, keep, () => log.join('\n'));
  return {
    simulator: 'http',
    traits: { idempotent, sharedMemory: true },
    ledgerFile,
    faultLogFile,
    timeoutMs: PROVIDER_TIMEOUT_MS,
    serviceEnv: {
      PAYMENT_PROVIDER: 'http',
      PAYMENT_PROVIDER_URL: url,
      PAYMENT_PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS),
      PAYMENT_PROVIDER_IDEMPOTENT: String(idempotent),
      PAYMENT_PROVIDER_LOOKUP: String(settings.lookup),
      ...(settings.deadlineMs === null
        ? {}
        : { PAYMENT_PROVIDER_DEADLINE_MS: String(settings.deadlineMs) }),
    },
    tail: () => log.join('\n'),
    stop: async () => {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Reads stdout until the simulator says `{"event":"listening","url":...}`. */
function listeningUrl(
  child: ChildProcess,
  keep: (line: string) => void,
  output: () => string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      child.kill('SIGKILL');
      reject(new Error(`The provider simulator ${why}; its output:\n${output()}`));
    };
    const timer = setTimeout(
      () => fail(`did not listen within ${READY_WITHIN_MS} ms`),
      READY_WITHIN_MS,
    );
    child.once('exit', (code, signal) =>
      fail(`exited (${signal ?? `code ${code}`}) while starting`),
    );
    createInterface({ input: child.stdout! }).on('line', (line) => {
      keep(line);
      const event = parseEvent(line);
      if (event?.event !== 'listening' || typeof event.url !== 'string') return;
      clearTimeout(timer);
      resolve(event.url);
    });
  });
}

function parseEvent(line: string): { event?: unknown; url?: unknown } | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}
