import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { newEvent } from '../../event-store/event-data';
import { WrongExpectedVersionError } from '../../event-store/errors/wrong-expected-version.error';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port';
import { NO_STREAM } from '../../event-store/expected-revision';
import { BILLING_CLOCK, type BillingClock } from '../billing-clock';

export const INSTALLATION_STREAM = 'antaeus-installation';

/**
 * When this installation first started, recorded once in the event log (the first
 * instance's `no_stream` append wins), so the catch-up of a missed run can tell "we were
 * down when it was due" from "we did not exist yet".
 */
@Injectable()
export class InstallationRecorder {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(BILLING_CLOCK) private readonly clock: BillingClock,
  ) {}

  async installedAt(): Promise<Date> {
    const recorded = await this.read();
    if (recorded) return recorded;
    const installedAt = this.clock.now();
    const event = newEvent('InstallationRecorded', {
      installedAt: installedAt.toISOString(),
      instanceId: this.config.instanceId,
    });
    try {
      await this.store.append(INSTALLATION_STREAM, [event], NO_STREAM);
      return installedAt;
    } catch (error) {
      // Another instance recorded it first: theirs is the installation time.
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      const theirs = await this.read();
      if (!theirs) throw error;
      return theirs;
    }
  }

  private async read(): Promise<Date | null> {
    const [first] = await this.store.readStream(INSTALLATION_STREAM, { limit: 1 });
    const value = first?.data.installedAt;
    return typeof value === 'string' ? new Date(value) : null;
  }
}
