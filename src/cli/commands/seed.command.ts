import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port';
import { DEMO_DATA_SET } from '../../seed/demo-data-set';
import { seedInvoices } from '../../seed/seed-invoices';
import { parsePositiveInteger } from '../parse-options';
import { ProgressBar } from '../progress-bar';

interface SeedOptions {
  customers?: number;
  invoicesPerCustomer?: number;
  paidPerCustomer?: number;
  firstCustomerId?: number;
  firstInvoiceId?: number;
  seed?: number;
}

@Command({
  name: 'seed',
  description:
    'Seed customers and invoices (the original data set by default: 100 customers, 10 invoices each, the first pending)',
})
export class SeedCommand extends CommandRunner {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  async run(_args: string[], options: SeedOptions): Promise<void> {
    const invoicesPerCustomer = options.invoicesPerCustomer ?? DEMO_DATA_SET.invoicesPerCustomer;
    const plan = {
      ...DEMO_DATA_SET,
      customers: options.customers ?? DEMO_DATA_SET.customers,
      invoicesPerCustomer,
      paidPerCustomer: Math.min(
        options.paidPerCustomer ?? invoicesPerCustomer - 1,
        invoicesPerCustomer,
      ),
      firstCustomerId: options.firstCustomerId ?? 1,
      firstInvoiceId: options.firstInvoiceId ?? 1,
      seed: options.seed ?? DEMO_DATA_SET.seed,
    };
    const total = plan.customers * plan.invoicesPerCustomer;
    const bar = new ProgressBar('seeding', 'invoices', total);
    const started = Date.now();
    const summary = await seedInvoices(
      this.store,
      plan,
      { now: new Date().toISOString(), instanceId: this.config.instanceId },
      (progress) => bar.update(progress.invoices, progress.total),
    );
    bar.stop();
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `Seeded ${summary.customers} customers and ${summary.invoices} invoices (${summary.pending} pending, ${summary.paid} paid) in ${seconds.toFixed(1)} s` +
        (summary.skipped > 0
          ? `; ${summary.skipped} invoices already existed and were left as they were`
          : ''),
    );
  }

  @Option({ flags: '--customers <n>', description: 'customers to create (default 100)' })
  parseCustomers(value: string): number {
    return parsePositiveInteger('--customers', value);
  }

  @Option({
    flags: '--invoices-per-customer <n>',
    description: 'invoices per customer (default 10)',
  })
  parseInvoicesPerCustomer(value: string): number {
    return parsePositiveInteger('--invoices-per-customer', value);
  }

  @Option({
    flags: '--paid-per-customer <n>',
    description: 'of which already paid (default: all but the first)',
  })
  parsePaidPerCustomer(value: string): number {
    return parsePositiveInteger('--paid-per-customer', value, 0);
  }

  @Option({ flags: '--first-customer-id <n>', description: 'first customer id (default 1)' })
  parseFirstCustomerId(value: string): number {
    return parsePositiveInteger('--first-customer-id', value);
  }

  @Option({ flags: '--first-invoice-id <n>', description: 'first invoice id (default 1)' })
  parseFirstInvoiceId(value: string): number {
    return parsePositiveInteger('--first-invoice-id', value);
  }

  @Option({
    flags: '--seed <n>',
    description: 'random seed for currencies and amounts (default 1)',
  })
  parseSeed(value: string): number {
    return parsePositiveInteger('--seed', value, 0);
  }
}
