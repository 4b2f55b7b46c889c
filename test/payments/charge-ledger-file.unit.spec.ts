import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLedgerFile } from '../../src/payments/simulated/read-ledger-file';
import { SimulatedPaymentProvider } from '../../src/payments/simulated/simulated-payment-provider';
import { SIMULATED_OUTCOMES } from '../../src/payments/simulated/simulated-outcome';
import { answerOf, chargeRequest } from './support/charge-requests';

describe('the simulated ledger file (SIMULATED_LEDGER_FILE)', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'antaeus-ledger-'));
    file = join(dir, 'ledger.jsonl');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('holds every entry of the in-memory ledger, one JSON line each, failures included', async () => {
    const provider = new SimulatedPaymentProvider({ idempotent: false, ledgerFile: file });
    for (const outcome of SIMULATED_OUTCOMES) {
      provider.script(outcome, outcome);
      await answerOf(provider, chargeRequest(outcome));
    }
    const { entries } = readLedgerFile(file);
    expect(entries).toHaveLength(SIMULATED_OUTCOMES.length);
    expect(entries).toEqual(
      provider.ledger.entries().map((entry) => ({
        ...entry,
        at: entry.at.toISOString(),
        pid: process.pid,
      })),
    );
    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(SIMULATED_OUTCOMES.length + 1);
  });

  it('has the line written before the caller sees the answer', async () => {
    const provider = new SimulatedPaymentProvider({ idempotent: false, ledgerFile: file });
    const linesWhenProcessed: number[] = [];
    provider.onCharge((event) => {
      if (event.phase === 'processed') linesWhenProcessed.push(readLedgerFile(file).entries.length);
    });
    provider.script('1', 'ambiguous_charged');
    expect(await answerOf(provider, chargeRequest(1))).toBe('NETWORK_ERROR');
    expect(linesWhenProcessed).toEqual([1]);
  });

  it('leaves idempotent replays out, as the in-memory ledger does', async () => {
    const provider = new SimulatedPaymentProvider({ idempotent: true, ledgerFile: file });
    provider.script('1', 'paid');
    await provider.charge(chargeRequest(1));
    await provider.charge(chargeRequest(1));
    expect(provider.replays).toBe(1);
    expect(readLedgerFile(file).entries).toHaveLength(1);
  });

  it('is shared by several providers (processes) and finds the double charges among them', async () => {
    const first = new SimulatedPaymentProvider({ idempotent: false, ledgerFile: file });
    const second = new SimulatedPaymentProvider({ idempotent: false, ledgerFile: file });
    for (const provider of [first, second]) {
      provider.script('1', 'paid');
      provider.script('2', 'declined');
      provider.script('3', 'ambiguous_charged');
    }
    await answerOf(first, chargeRequest(1));
    await answerOf(first, chargeRequest(2));
    await answerOf(second, chargeRequest(2));
    await answerOf(first, chargeRequest(3));
    await answerOf(second, chargeRequest(3, 2));
    const ledger = readLedgerFile(file);
    expect(first.ledger.doubleCharges()).toEqual([]);
    expect(second.ledger.doubleCharges()).toEqual([]);
    expect(ledger.doubleCharges).toEqual(['3']);
    expect([...ledger.chargesByInvoice]).toEqual([
      ['1', 1],
      ['3', 2],
    ]);
  });

  it('appends to what an earlier process wrote, and the reader keeps the order', async () => {
    await new SimulatedPaymentProvider({ ledgerFile: file }).charge(chargeRequest(1));
    await new SimulatedPaymentProvider({ ledgerFile: file }).charge(chargeRequest(2));
    expect(readLedgerFile(file).entries.map((entry) => entry.invoiceId)).toEqual(['1', '2']);
  });

  it('refuses at construction a path it cannot append to', () => {
    const unwritable = join(dir, 'missing', 'ledger.jsonl');
    expect(() => new SimulatedPaymentProvider({ ledgerFile: unwritable })).toThrow(
      `Cannot append to the simulated ledger file ${unwritable}`,
    );
    expect(() => new SimulatedPaymentProvider({ ledgerFile: `${dir}/` })).toThrow(
      /ledgerFile must name a file, not a directory/,
    );
  });

  it('refuses to read a missing file or a line that is not an entry', () => {
    expect(() => readLedgerFile(join(dir, 'nowhere.jsonl'))).toThrow(/ENOENT/);
    writeFileSync(file, '{"invoiceId":"1","idempotencyKey":"k","outcome":"paid"}\n{"inv');
    expect(() => readLedgerFile(file)).toThrow(`${file}:2 is not JSON`);
    writeFileSync(file, '{"invoiceId":"1","idempotencyKey":"k","outcome":"stolen"}\n');
    expect(() => readLedgerFile(file)).toThrow(`${file}:1 is not a ledger entry`);
  });
});
