import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ActingPrincipal } from '../auth/acting-principal.decorator';
import type { Principal } from '../auth/principal';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RegisterCustomerCommand } from '../../billing/commands/register-customer.command';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { RequiresScope } from '../auth/requires-scope.decorator';
import { ValidationError } from '../errors/validation.error';
import { parseNewCustomer } from '../validation/parse-new-customer';
import { CustomerRegisteredDto } from './customer-registered.dto';
import { NewCustomerDto } from './new-customer.dto';
import { PageQueryDto } from '../dto/page-query.dto';
import { ApiErrorResponses } from '../errors/api-error-responses.decorator';
import { GetCustomerQuery } from '../queries/get-customer.query';
import { ListCustomersQuery } from '../queries/list-customers.query';
import { IdParam } from '../validation/id-param.decorator';
import { CustomerPageDto } from './customer-page.dto';
import { CustomerDto } from './customer.dto';

@ApiTags('customers')
@RequiresScope('read')
@Controller('rest/v1/customers')
export class CustomersController {
  constructor(
    private readonly queries: QueryBus,
    private readonly commands: CommandBus,
  ) {}

  /**
   * The client chooses the id, so a registration is idempotent: 201 when this request
   * registered it, 200 when the same customer was already there (the command's `created`
   * says which), 409 naming the fields when the id holds another customer.
   */
  @Post()
  @RequiresScope('operate')
  @Idempotent()
  @ApiOperation({ summary: 'Register a customer' })
  @ApiBody({ type: NewCustomerDto })
  @ApiCreatedResponse({ type: CustomerRegisteredDto, description: 'Registered by this request' })
  @ApiOkResponse({ type: CustomerRegisteredDto, description: 'Already registered, same body' })
  @ApiErrorResponses(400, 401, 409, 413)
  async register(
    @Body() body: unknown,
    @ActingPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CustomerRegisteredDto> {
    const parsed = parseNewCustomer(body);
    if (!parsed.ok) throw ValidationError.ofFields(parsed.errors);
    const result = await this.commands.execute(
      new RegisterCustomerCommand(parsed.value, principal.name),
    );
    void reply.status(result.created ? 201 : 200);
    return CustomerRegisteredDto.from(result);
  }

  @Get()
  @ApiOperation({ summary: 'All customers, by customer id' })
  @ApiOkResponse({ type: CustomerPageDto })
  @ApiErrorResponses(400)
  async list(@Query() page: PageQueryDto): Promise<CustomerPageDto> {
    return CustomerPageDto.from(await this.queries.execute(new ListCustomersQuery(page)));
  }

  @Get(':customerId')
  @ApiOperation({ summary: 'One customer' })
  @ApiOkResponse({ type: CustomerDto })
  @ApiErrorResponses(400, 404)
  async get(@IdParam('customerId') customerId: string): Promise<CustomerDto> {
    return CustomerDto.from(await this.queries.execute(new GetCustomerQuery(customerId)));
  }
}
