import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequiresScope } from '../auth/requires-scope.decorator';
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
  constructor(private readonly queries: QueryBus) {}

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
