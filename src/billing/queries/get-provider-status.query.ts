import { Query } from '@nestjs/cqrs';
import type { ProviderStatus } from '../engine/provider/provider-gate';

/**
 * How this instance sees the payment provider now (its ProviderGate): for the run view
 * and the health check, which live in modules that do not import billing. No handler
 * (an app without billing): QueryHandlerNotFoundException.
 */
export class GetProviderStatusQuery extends Query<ProviderStatus> {}
