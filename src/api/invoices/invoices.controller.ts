import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { INVOICE_STATUSES, type InvoiceStatus } from '../../billing/domain';
import { RequiresScope } from '../auth/requires-scope.decorator';
import { ApiErrorResponses } from '../errors/api-error-responses.decorator';
import { GetInvoiceEventsQuery } from '../queries/get-invoice-events.query';
import { GetInvoiceFailuresQuery } from '../queries/get-invoice-failures.query';
import { GetInvoiceQuery } from '../queries/get-invoice.query';
import { ListInvoicesByRetryQuery } from '../queries/list-invoices-by-retry.query';
import { ListInvoicesByStatusQuery } from '../queries/list-invoices-by-status.query';
import type { RetryList } from '../read-models/invoice-read-model.port';
import { ListInvoicesQuery } from '../queries/list-invoices.query';
import { IdParam } from '../validation/id-param.decorator';
import { ParseInvoiceStatusPipe } from '../validation/parse-invoice-status.pipe';
import { FailureHistoryDto } from './failure-history.dto';
import { InvoiceEventsDto } from './invoice-events.dto';
import { InvoicePageQueryDto } from './invoice-page-query.dto';
import { InvoicePageDto } from './invoice-page.dto';
import { InvoiceDto } from './invoice.dto';

const PAGING =
  'Page by `after` (the previous page’s `next`): a keyset seek, as fast at any depth. ' +
  '`page` is an OFFSET whose cost grows with page × size: for the first few pages only.';

/** Invoice reads: from the read models, but for the audit trail, which reads the log. */
@ApiTags('invoices')
@RequiresScope('read')
@Controller('rest/v1/invoices')
export class InvoicesController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: 'All invoices, by invoice id',
    description: PAGING,
  })
  @ApiOkResponse({ type: InvoicePageDto })
  @ApiErrorResponses(400)
  async list(@Query() query: InvoicePageQueryDto): Promise<InvoicePageDto> {
    return InvoicePageDto.from(
      await this.queries.execute(new ListInvoicesQuery(query.toRequest())),
    );
  }

  @Get('status/:status')
  @ApiOperation({
    summary: 'Invoices in one status (any case), by invoice id',
    description: PAGING,
  })
  @ApiParam({ name: 'status', enum: INVOICE_STATUSES })
  @ApiOkResponse({ type: InvoicePageDto })
  @ApiErrorResponses(400)
  async byStatus(
    @Param('status', ParseInvoiceStatusPipe) status: InvoiceStatus,
    @Query() query: InvoicePageQueryDto,
  ): Promise<InvoicePageDto> {
    return InvoicePageDto.from(
      await this.queries.execute(new ListInvoicesByStatusQuery(status, query.toRequest())),
    );
  }

  @Get('retries/awaiting')
  @ApiOperation({
    summary: 'FAILED invoices with an automatic retry scheduled (nextRetryAt), by invoice id',
    description: PAGING,
  })
  @ApiOkResponse({ type: InvoicePageDto })
  @ApiErrorResponses(400)
  async awaitingRetry(@Query() query: InvoicePageQueryDto): Promise<InvoicePageDto> {
    return this.byRetry('awaiting-retry', query);
  }

  @Get('retries/exhausted')
  @ApiOperation({
    summary: 'FAILED invoices with no automatic retry left: they need a person, by invoice id',
    description: PAGING,
  })
  @ApiOkResponse({ type: InvoicePageDto })
  @ApiErrorResponses(400)
  async retriesExhausted(@Query() query: InvoicePageQueryDto): Promise<InvoicePageDto> {
    return this.byRetry('retries-exhausted', query);
  }

  private async byRetry(list: RetryList, query: InvoicePageQueryDto): Promise<InvoicePageDto> {
    return InvoicePageDto.from(
      await this.queries.execute(new ListInvoicesByRetryQuery(list, query.toRequest())),
    );
  }

  @Get('failed/:invoiceId')
  @ApiOperation({ summary: "An invoice's failed attempts, oldest first" })
  @ApiOkResponse({ type: FailureHistoryDto })
  @ApiErrorResponses(400, 404)
  async failures(@IdParam('invoiceId') invoiceId: string): Promise<FailureHistoryDto> {
    const { invoice, failures } = await this.queries.execute(
      new GetInvoiceFailuresQuery(invoiceId),
    );
    return FailureHistoryDto.from(invoice, failures);
  }

  @Get(':invoiceId')
  @ApiOperation({ summary: 'One invoice' })
  @ApiOkResponse({ type: InvoiceDto })
  @ApiErrorResponses(400, 404)
  async get(@IdParam('invoiceId') invoiceId: string): Promise<InvoiceDto> {
    return InvoiceDto.from(await this.queries.execute(new GetInvoiceQuery(invoiceId)));
  }

  @Get(':invoiceId/events')
  @ApiOperation({
    summary: "The invoice's event stream, oldest first: the audit trail, read from the log",
  })
  @ApiOkResponse({ type: InvoiceEventsDto })
  @ApiErrorResponses(400, 404)
  async events(@IdParam('invoiceId') invoiceId: string): Promise<InvoiceEventsDto> {
    const events = await this.queries.execute(new GetInvoiceEventsQuery(invoiceId));
    return InvoiceEventsDto.from(invoiceId, events);
  }
}
