import { Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { StartBillingRunCommand } from '../../billing/commands/start-billing-run.command';
import { readProviderStatus } from '../../billing/queries/read-provider-status';
import { ActingPrincipal } from '../auth/acting-principal.decorator';
import type { Principal } from '../auth/principal';
import { RequiresScope } from '../auth/requires-scope.decorator';
import { PageQueryDto } from '../dto/page-query.dto';
import { ApiErrorResponses } from '../errors/api-error-responses.decorator';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { GetBillingRunQuery } from '../queries/get-billing-run.query';
import { ListBillingRunsQuery } from '../queries/list-billing-runs.query';
import { IdParam } from '../validation/id-param.decorator';
import { BillingRunPageDto } from './billing-run-page.dto';
import { BillingRunStartedDto } from './billing-run-started.dto';
import { BillingRunDto } from './billing-run.dto';

@ApiTags('billing runs')
@Controller('rest/v1/billing-runs')
export class BillingRunsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @RequiresScope('operate')
  @ApiOperation({ summary: 'Start a manual billing run now; it charges in the background' })
  @ApiAcceptedResponse({ type: BillingRunStartedDto })
  @ApiErrorResponses(409)
  @Idempotent()
  async start(@ActingPrincipal() principal: Principal): Promise<BillingRunStartedDto> {
    const command = new StartBillingRunCommand('manual', null, principal.name);
    const result = await this.commands.execute(command);
    return BillingRunStartedDto.from(result);
  }

  @Get()
  @RequiresScope('read')
  @ApiOperation({ summary: 'Billing runs, newest first' })
  @ApiOkResponse({ type: BillingRunPageDto })
  @ApiErrorResponses(400)
  async list(@Query() page: PageQueryDto): Promise<BillingRunPageDto> {
    return BillingRunPageDto.from(await this.queries.execute(new ListBillingRunsQuery(page)));
  }

  @Get(':runId')
  @RequiresScope('read')
  @ApiOperation({
    summary:
      "A run's progress: attempts by status, start and end; while it runs, whether the provider is available",
  })
  @ApiOkResponse({ type: BillingRunDto })
  @ApiErrorResponses(400, 404)
  async get(@IdParam('runId') runId: string): Promise<BillingRunDto> {
    const view = await this.queries.execute(new GetBillingRunQuery(runId));
    return BillingRunDto.from(view, await readProviderStatus(this.queries));
  }
}
