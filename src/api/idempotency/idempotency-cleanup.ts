import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { IdempotencyStore } from './idempotency-store';

const CLEANUP_INTERVAL_MS = 10 * 60 * 1000;
const CLEANUP_BATCH = 1_000;

/**
 * Deletes expired Idempotency-Key records every ten minutes, in bounded batches. Every
 * instance runs it (a delete of rows another instance deleted does nothing); expired
 * rows not yet deleted are treated as absent anyway.
 */
@Injectable()
export class IdempotencyCleanup implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Api');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(private readonly store: IdempotencyStore) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.runOnce(), CLEANUP_INTERVAL_MS).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Deletes every expired key, a batch at a time; resolves to how many. */
  runOnce(): Promise<number> {
    this.running ??= this.deleteAll().finally(() => (this.running = null));
    return this.running;
  }

  private async deleteAll(): Promise<number> {
    let total = 0;
    try {
      for (;;) {
        const deleted = await this.store.deleteExpired(CLEANUP_BATCH);
        total += deleted;
        if (deleted < CLEANUP_BATCH) return total;
      }
    } catch (error) {
      this.logger.warn(`Cannot delete expired idempotency keys: ${(error as Error).message}`);
      return total;
    }
  }
}
