import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import request from 'supertest';
import { ProjectionsRunner } from '../../projections/projections-runner';
import { ImportCommand } from '../../src/cli/commands/import.command';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store.port';
import { backendsWith } from '../support/backends';
import { serveServiceApp } from '../support/serve-service-app';
import { waitFor } from '../support/wait-for';

const TOKEN = 'cli-import-e2e-token-0123456789';

const CUSTOMERS_CSV = [
  'id,currency,name,email',
  'acme,EUR,Acme Ltd,billing@acme.example',
  '"globex",USD,"Globex, Inc.",',
  '',
  'bad id,EUR,,',
  'initech,XXX,,',
  'short,EUR',
  'acme,EUR,Acme Ltd,billing@acme.example',
].join('\n');

const INVOICES_CSV = [
  'id,customerId,amount,currency,dueDate,description',
  'inv-1,acme,10.50,EUR,2026-12-31,"Plan, December"',
  'inv-2,acme,10.005,EUR,,',
  'inv-3,nobody,1.00,EUR,,',
  'inv-4,globex,1.00,EUR,,',
  'inv-5,globex,7.00,USD,2026-02-30,',
  'inv-6,globex,7.00,USD',
  'inv-7,globex,7,USD,,',
  'inv-7,globex,8.00,USD,,',
].join('\r\n');

/** `import` as the CLI runs it, over the real service's modules: its summary lines and rejects. */
async function runImport(
  commands: CommandBus,
  kind: string,
  file: string,
  options: { batchSize?: number } = {},
  projections?: ProjectionsRunner,
): Promise<{ summary: string; rejects: string[]; exitCode: number }> {
  const printed: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((line: string) => {
    printed.push(line);
  });
  const before = process.exitCode;
  try {
    await new ImportCommand(commands, projections).run([kind, file], options);
    const rejects = (await readFile(`${file}.rejects.csv`, 'utf8')).trim().split('\n');
    return { summary: printed.join('\n'), rejects, exitCode: Number(process.exitCode ?? 0) };
  } finally {
    log.mockRestore();
    process.exitCode = before;
  }
}

/**
 * Bulk import through the same validation and commands as REST, on the real service's
 * modules (PostgreSQL and PGlite): bad lines rejected with their line numbers and
 * reasons while the rest goes in, a re-run writes nothing new.
 */
describe.each(backendsWith('openDatabase'))('cli import on $name', (backend) => {
  let app: INestApplication;
  let store: EventStore;
  let commands: CommandBus;
  let dir: string;
  let stopBackend: () => Promise<void>;
  const typesIn = async (stream: string) =>
    (await store.readStream(stream)).map((event) => event.type);

  beforeAll(async () => {
    const started = await backend.startService('cli_import');
    stopBackend = started.stop;
    app = await serveServiceApp({
      env: {
        ...started.env,
        ANTAEUS_API_TOKEN: TOKEN,
        ANTAEUS_INSTANCE_ID: 'cli-import-e2e',
        ANTAEUS_SEED: 'false',
      },
      logger: ['error'],
    });
    store = app.get(EVENT_STORE);
    commands = app.get(CommandBus);
    dir = await mkdtemp(join(tmpdir(), 'antaeus-import-'));
  });

  afterAll(async () => {
    await app?.close();
    await stopBackend?.();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('imports customers from CSV: bad lines rejected by line, the rest registered, a re-run writes nothing', async () => {
    const file = join(dir, 'customers.csv');
    await writeFile(file, CUSTOMERS_CSV);

    const first = await runImport(commands, 'customers', file);
    const again = await runImport(commands, 'customers', file);

    expect(first.summary).toMatch(/^Imported customers from .*customers\.csv in [\d.]+ s/);
    expect(first.summary).toContain('  6 lines read\n  2 new\n  1 already there');
    expect(first.summary).toContain('  3 rejected: line and reason of each in');
    expect(first.exitCode).toBe(1);
    expect(first.rejects).toEqual([
      'line,id,reason',
      expect.stringMatching(/^5,bad id,"id: must be letters, digits/),
      '6,initech,"currency: must be one of EUR, USD, DKK, SEK, GBP"',
      '7,,"2 cell(s), the header has 4 (id, currency, name, email)"',
    ]);
    expect(again.summary).toContain('  6 lines read\n  0 new\n  3 already there');
    expect(again.rejects).toEqual(first.rejects);
    expect(await typesIn('customer-acme')).toEqual(['CustomerRegistered']);
    const [globex] = await store.readStream('customer-globex');
    expect(globex.data).toMatchObject({ currency: 'USD', name: 'Globex, Inc.', email: null });
  });

  it('imports invoices from CSV through the REST rules, each bad line with its reason', async () => {
    const file = join(dir, 'invoices.csv');
    await writeFile(file, INVOICES_CSV);

    const first = await runImport(commands, 'invoices', file);
    const again = await runImport(commands, 'invoices', file);

    expect(first.summary).toContain(
      '  8 lines read\n  2 new\n  0 already there (same facts; nothing written)\n  6 rejected',
    );
    expect(first.rejects.slice(1).sort()).toEqual(
      [
        '3,inv-2,"amount.value: must be a positive decimal with at most 2 fraction digits, at most 999999999.99, got ""10.005"""',
        '4,inv-3,CUSTOMER_NOT_FOUND: customer nobody is not registered',
        '5,inv-4,"CURRENCY_MISMATCH: customer globex is billed in USD, not EUR"',
        '6,inv-5,"dueDate: must be a calendar date YYYY-MM-DD, got ""2026-02-30"""',
        '7,,"4 cell(s), the header has 6 (id, customerId, amount, currency, dueDate, description)"',
        '9,inv-7,ALREADY_ISSUED: invoice inv-7 is already issued (PENDING) with another amount',
      ].sort(),
    );
    expect(again.summary).toContain(
      '  8 lines read\n  0 new\n  2 already there (same facts; nothing written)\n  6 rejected',
    );
    expect(await typesIn('invoice-inv-1')).toEqual(['InvoiceIssued']);
    const [issued] = await store.readStream('invoice-inv-1');
    expect(issued.data).toMatchObject({
      amount: { value: '10.50', currency: 'EUR' },
      dueDate: '2026-12-31',
      description: 'Plan, December',
    });
    expect(await typesIn('invoice-inv-2')).toEqual([]);
  });

  it('imports NDJSON in batches, streamed; a re-run finds every line already there', async () => {
    const file = join(dir, 'many.ndjson');
    const lines = Array.from({ length: 2_345 }, (_, i) =>
      JSON.stringify({
        id: `bulk-${i}`,
        customerId: 'acme',
        amount: { value: `${(i % 90) + 1}.25`, currency: 'EUR' },
      }),
    );
    lines.splice(
      1_000,
      0,
      '{"id":"bulk-bad","customerId":"acme","amount":{"value":10,"currency":"EUR"}}',
    );
    lines.splice(2_000, 0, '{"id": "torn"');
    await writeFile(file, lines.join('\n') + '\n');

    const first = await runImport(commands, 'invoices', file, { batchSize: 500 });
    const again = await runImport(commands, 'invoices', file, { batchSize: 500 });

    expect(first.summary).toContain(
      '  2,347 lines read\n  2,345 new\n  0 already there (same facts; nothing written)\n  2 rejected',
    );
    expect(first.rejects).toEqual([
      'line,id,reason',
      '1001,bulk-bad,"amount.value: must be a decimal string such as ""10.50"", not a number"',
      expect.stringMatching(/^2001,,"not a JSON object: /),
    ]);
    expect(again.summary).toContain(
      '  2,347 lines read\n  0 new\n  2,345 already there (same facts; nothing written)\n  2 rejected',
    );
    expect(await typesIn('invoice-bulk-2344')).toEqual(['InvoiceIssued']);
  });

  it('refuses a CSV whose header lacks a required column, and an unknown extension, before writing', async () => {
    const file = join(dir, 'no-amount.csv');
    await writeFile(file, 'id,customerId,currency\nx-1,acme,EUR\n');
    await expect(runImport(commands, 'invoices', file)).rejects.toThrow(
      /no-amount\.csv:1: the CSV header of invoices needs id, customerId, amount, currency .*missing column\(s\) amount/,
    );
    await expect(runImport(commands, 'invoices', join(dir, 'file.xlsx'))).rejects.toThrow(
      /by extension: \.csv, \.ndjson or \.jsonl/,
    );
    await expect(runImport(commands, 'payments', file)).rejects.toThrow(/customers, invoices/);
    expect(await typesIn('invoice-x-1')).toEqual([]);
  });

  it('stops projecting in its own process, and the read model follows once a process projects', async () => {
    const runner = app.get(ProjectionsRunner);
    const file = join(dir, 'later.ndjson');
    await writeFile(
      file,
      JSON.stringify({
        id: 'later-1',
        customerId: 'acme',
        amount: { value: '3.00', currency: 'EUR' },
      }),
    );
    const invoice = () =>
      request(app.getHttpServer())
        .get('/rest/v1/invoices/later-1')
        .set('Authorization', `Bearer ${TOKEN}`);

    const imported = await runImport(commands, 'invoices', file, {}, runner);

    expect(imported.summary).toContain('  1 new');
    expect(runner.projectors.filter((projector) => projector.activeHere)).toEqual([]);
    expect((await invoice()).status).toBe(404);
    for (const projector of runner.projectors) projector.start();
    await waitFor(async () => (await invoice()).status === 200, {
      timeoutMs: 30_000,
      message: 'the imported invoice in the read model',
    });
    expect((await invoice()).body).toMatchObject({ id: 'later-1', status: 'PENDING' });
  });
});
