import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { START } from '../event-store/position';
import { DEMO_DATA_SET } from './demo-data-set';
import { seedInvoices } from './seed-invoices';

/**
 * `npm start` on an empty embedded store seeds the original Antaeus data set, so the
 * demo has something to bill. Off with ANTAEUS_SEED=false; never on a store that has invoices.
 */
@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoSeeder.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.seedDemoData) return;
    const [anyInvoice] = await this.store.readAll({
      after: START,
      filter: { streamPrefixes: ['invoice-'] },
      limit: 1,
    });
    if (anyInvoice) return;
    const summary = await seedInvoices(this.store, DEMO_DATA_SET, {
      now: new Date().toISOString(),
      instanceId: this.config.instanceId,
    });
    this.logger.log(
      `Seeded the demo data set: ${summary.customers} customers, ${summary.invoices} invoices (${summary.pending} pending, ${summary.paid} paid)`,
    );
  }
}
