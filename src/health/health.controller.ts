import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { SQL_DATABASE } from '../database/database.module';
import type { SqlDatabase } from '../database/sql-database';
import type { ProviderStatus } from '../billing/engine/provider/provider-gate';
import { readProviderStatus } from '../billing/queries/read-provider-status';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';

type ComponentStatus = { status: 'up' } | { status: 'down'; error: string };

/** The payment provider as this instance sees it: degraded does not make the service down. */
type ProviderHealth =
  { status: 'up' } | ({ status: 'degraded' } & Exclude<ProviderStatus, { state: 'available' }>);

const CHECK_TIMEOUT_MS = 2_000;

@ApiTags('health')
@Controller('rest/health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Event store and read models status; 503 when one is down. The payment provider is reported degraded (still 200) while this instance waits for it',
  })
  async health(@Res({ passthrough: true }) response: FastifyReply) {
    const [eventStore, readModels, provider] = await Promise.all([
      check(() => this.eventStore.ping()),
      check(() => this.db.query('SELECT 1')),
      readProviderStatus(this.queries),
    ]);
    const up = eventStore.status === 'up' && readModels.status === 'up';
    response.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    const body = { status: up ? 'up' : 'down', eventStore, readModels };
    return provider === null ? body : { ...body, provider: providerHealth(provider) };
  }
}

function providerHealth(provider: ProviderStatus): ProviderHealth {
  return provider.state === 'available' ? { status: 'up' } : { status: 'degraded', ...provider };
}

async function check(probe: () => Promise<unknown>): Promise<ComponentStatus> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
      CHECK_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([probe(), timeout]);
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
