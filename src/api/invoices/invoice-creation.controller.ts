import { Body, Controller, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CreateInvoiceBatchCommand } from '../../billing/commands/create-invoice-batch.command';
import { CreateInvoiceCommand } from '../../billing/commands/create-invoice.command';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { ActingPrincipal } from '../auth/acting-principal.decorator';
import type { Principal } from '../auth/principal';
import { RequiresScope } from '../auth/requires-scope.decorator';
import { ApiErrorResponses } from '../errors/api-error-responses.decorator';
import { ValidationError } from '../errors/validation.error';
import { parseNewInvoice } from '../validation/parse-new-invoice';
import { parseNewInvoiceBatch } from '../validation/parse-new-invoice-batch';
import { InvoiceBatchCreatedDto, InvoiceCreatedDto } from './invoice-created.dto';
import { NewInvoiceBatchDto, NewInvoiceDto } from './new-invoice.dto';

/**
 * A team's own invoices. The client chooses the id, so a create is idempotent: 201 when
 * this request issued it, 200 when the same invoice was already there (the command's
 * `created` says which), 409 when the id holds another invoice.
 */
@ApiTags('invoices')
@RequiresScope('operate')
@Controller('rest/v1/invoices')
export class InvoiceCreationController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Idempotent()
  @ApiOperation({ summary: 'Issue an invoice (PENDING) for a registered customer' })
  @ApiBody({ type: NewInvoiceDto })
  @ApiCreatedResponse({ type: InvoiceCreatedDto, description: 'Issued by this request' })
  @ApiOkResponse({ type: InvoiceCreatedDto, description: 'Already issued with the same body' })
  @ApiErrorResponses(400, 401, 409, 413, 422)
  async create(
    @Body() body: unknown,
    @ActingPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InvoiceCreatedDto> {
    const parsed = parseNewInvoice(body);
    if (!parsed.ok) throw ValidationError.ofFields(parsed.errors);
    const result = await this.commands.execute(
      new CreateInvoiceCommand(parsed.value, principal.name),
    );
    void reply.status(result.created ? 201 : 200);
    return InvoiceCreatedDto.from(result);
  }

  @Post('batch')
  @Idempotent()
  @ApiOperation({
    summary: 'Issue 1 to 1,000 invoices, all or none',
    description:
      'If any invoice is invalid, none is written and the answer lists every invalid one by index and field: malformed entries by field and the refusals of the others (unknown customer, other currency, an id issued with other facts) in one answer (in message, and one by one in errors: index, id, field, code, message), 400 if any entry is malformed, else 422 if any is unprocessable, else 409.',
  })
  @ApiBody({ type: NewInvoiceBatchDto })
  @ApiCreatedResponse({ type: InvoiceBatchCreatedDto, description: 'At least one was issued' })
  @ApiOkResponse({ type: InvoiceBatchCreatedDto, description: 'All were already issued' })
  @ApiErrorResponses(400, 401, 409, 413, 422)
  async createBatch(
    @Body() body: unknown,
    @ActingPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InvoiceBatchCreatedDto> {
    const parsed = parseNewInvoiceBatch(body);
    if (!parsed.ok) throw ValidationError.ofFields(parsed.errors);
    const { invoices, indexes, malformed } = parsed.value;
    const results = await this.commands.execute(
      new CreateInvoiceBatchCommand(invoices, principal.name, undefined, {
        entries: malformed,
        indexes,
      }),
    );
    const created = results.filter((result) => result.created).length;
    void reply.status(created > 0 ? 201 : 200);
    return { created, invoices: results.map((result) => InvoiceCreatedDto.from(result)) };
  }
}
