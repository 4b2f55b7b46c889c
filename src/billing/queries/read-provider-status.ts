import { QueryHandlerNotFoundException, type QueryBus } from '@nestjs/cqrs';
import type { ProviderStatus } from '../engine/provider/provider-gate';
import { GetProviderStatusQuery } from './get-provider-status.query';

/** This instance's view of the provider; null in an app without billing (nothing charges). */
export async function readProviderStatus(queries: QueryBus): Promise<ProviderStatus | null> {
  try {
    return await queries.execute(new GetProviderStatusQuery());
  } catch (error) {
    if (error instanceof QueryHandlerNotFoundException) return null;
    throw error;
  }
}
