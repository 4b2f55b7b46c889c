import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ProviderGate, type ProviderStatus } from '../engine/provider/provider-gate';
import { GetProviderStatusQuery } from './get-provider-status.query';

@QueryHandler(GetProviderStatusQuery)
export class GetProviderStatusHandler implements IQueryHandler<GetProviderStatusQuery> {
  constructor(private readonly gate: ProviderGate) {}

  execute(): Promise<ProviderStatus> {
    return Promise.resolve(this.gate.status());
  }
}
