import { fdatasyncSync, openSync, writeSync } from 'node:fs';
import type { Money } from '../../shared/money';
import type { ChargeRequest } from '../../payment-provider/payment-provider.port';
import type { SimulatedOutcome } from './simulated-outcome';

/** One line of the ledger file: what the simulator did with one delivered request. */
export interface LedgerFileEntry {
  readonly idempotencyKey: string;
  readonly invoiceId: string;
  readonly customerId: string;
  readonly amount: Money;
  readonly outcome: SimulatedOutcome;
  /** ISO 8601, when the simulator processed it. */
  readonly at: string;
  /** The process that delivered it: tells the instances apart in a shared file. */
  readonly pid: number;
  /** The caller, when the simulator runs as a server (the X-Antaeus-Instance header). */
  readonly client?: string;
}

// POSIX promises that writes up to PIPE_BUF bytes are never interleaved (and an
// O_APPEND write always lands at the end): keep every line below it.
const PIPE_BUF = 4096;

/**
 * The simulator's ledger as a file that outlives its process (SIMULATED_LEDGER_FILE, or
 * the provider simulator's --ledger): one JSON line per entry, written with one
 * O_APPEND write and flushed to disk (fdatasync) before the charge is answered, so
 * neither a kill -9 nor a power cut just after a charge can lose it, and several
 * processes can share one file.
 */
export class ChargeLedgerFile {
  private readonly fd: number;

  constructor(readonly path: string) {
    try {
      // Fails at start, not at the first charge, when the path cannot be written.
      this.fd = openSync(path, 'a');
    } catch (error) {
      throw new Error(`Cannot append to the simulated ledger file ${path}`, { cause: error });
    }
  }

  append(request: ChargeRequest, outcome: SimulatedOutcome, at: number, client?: string): void {
    const { idempotencyKey, invoiceId, customerId, amount } = request;
    const entry: LedgerFileEntry = {
      idempotencyKey,
      invoiceId,
      customerId,
      amount,
      outcome,
      at: new Date(at).toISOString(),
      pid: process.pid,
      ...(client === undefined ? {} : { client }),
    };
    const line = `${JSON.stringify(entry)}\n`;
    if (Buffer.byteLength(line) > PIPE_BUF) {
      throw new RangeError(
        `A ledger line for ${idempotencyKey} is over ${PIPE_BUF} bytes: it could interleave`,
      );
    }
    writeSync(this.fd, line);
    fdatasyncSync(this.fd);
  }
}
