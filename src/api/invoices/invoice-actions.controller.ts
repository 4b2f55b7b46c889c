import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequeueInvoiceCommand } from '../../billing/commands/requeue-invoice.command';
import { ResolveInvoiceCommand } from '../../billing/commands/resolve-invoice.command';
import { ActingPrincipal } from '../auth/acting-principal.decorator';
import type { Principal } from '../auth/principal';
import { VoidInvoiceCommand } from '../../billing/commands/void-invoice.command';
import { RequiresScope } from '../auth/requires-scope.decorator';
import { ApiErrorResponses } from '../errors/api-error-responses.decorator';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { IdParam } from '../validation/id-param.decorator';
import { InvoiceWrittenDto } from './invoice-written.dto';
import { RequeueInvoiceDto } from './requeue-invoice.dto';
import { ResolveInvoiceDto } from './resolve-invoice.dto';
import { VoidInvoiceDto } from './void-invoice.dto';

/**
 * Manual actions on one invoice. 202: the event is stored; the read models show it once
 * they reach the returned revision.
 */
@ApiTags('invoices')
@RequiresScope('operate')
@Controller('rest/v1/invoices')
export class InvoiceActionsController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':invoiceId/requeue')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Send a FAILED invoice back to PENDING, for the next run' })
  @ApiAcceptedResponse({ type: InvoiceWrittenDto })
  @ApiErrorResponses(400, 404, 409)
  @Idempotent()
  async requeue(
    @IdParam('invoiceId') invoiceId: string,
    @Body() body: RequeueInvoiceDto,
    @ActingPrincipal() principal: Principal,
  ): Promise<InvoiceWrittenDto> {
    const command = new RequeueInvoiceCommand(
      invoiceId,
      body.requestedBy ?? null,
      body.note ?? null,
      principal.name,
    );
    return InvoiceWrittenDto.from(await this.commands.execute(command));
  }

  @Post(':invoiceId/resolve')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Settle an UNKNOWN invoice as PAID or FAILED, after checking' })
  @ApiAcceptedResponse({ type: InvoiceWrittenDto })
  @ApiErrorResponses(400, 404, 409)
  @Idempotent()
  async resolve(
    @IdParam('invoiceId') invoiceId: string,
    @Body() body: ResolveInvoiceDto,
    @ActingPrincipal() principal: Principal,
  ): Promise<InvoiceWrittenDto> {
    const command = new ResolveInvoiceCommand(
      invoiceId,
      body.outcome,
      body.note,
      body.resolvedBy ?? null,
      principal.name,
    );
    return InvoiceWrittenDto.from(await this.commands.execute(command));
  }

  @Post(':invoiceId/void')
  @Idempotent()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Void a PENDING or FAILED invoice: VOID is final, it is never charged',
  })
  @ApiAcceptedResponse({ type: InvoiceWrittenDto })
  @ApiErrorResponses(400, 401, 404, 409)
  async void(
    @IdParam('invoiceId') invoiceId: string,
    @Body() body: VoidInvoiceDto,
    @ActingPrincipal() principal: Principal,
  ): Promise<InvoiceWrittenDto> {
    const command = new VoidInvoiceCommand(invoiceId, body.reason, principal.name);
    return InvoiceWrittenDto.from(await this.commands.execute(command));
  }
}
