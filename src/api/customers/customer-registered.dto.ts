import { ApiProperty } from '@nestjs/swagger';
import { CURRENCIES, type Currency, type Customer } from '../../billing/domain';
import type { CreateResult } from '../../billing/commands/create-result';
import { PositionDto } from '../dto/position.dto';

/** A customer as registered (201), or as it already was for the same body (200). */
export class CustomerRegisteredDto {
  @ApiProperty({ example: 'acme-42' })
  readonly id!: string;

  @ApiProperty({ example: 'acme-42', description: 'The same as id' })
  readonly customerId!: string;

  @ApiProperty({ enum: CURRENCIES })
  readonly currency!: Currency;

  @ApiProperty({ type: String, nullable: true })
  readonly name!: string | null;

  @ApiProperty({ type: String, nullable: true })
  readonly email!: string | null;

  @ApiProperty({ format: 'date-time' })
  readonly registeredAt!: string;

  @ApiProperty({ example: '0', description: 'Stream revision (64-bit, decimal string)' })
  readonly revision!: string;

  @ApiProperty({ type: PositionDto, description: 'Global log position of the registration' })
  readonly position!: PositionDto;

  static from({ state, revision, position }: CreateResult<Customer>): CustomerRegisteredDto {
    return {
      id: state.customerId,
      customerId: state.customerId,
      currency: state.currency,
      name: state.name,
      email: state.email,
      registeredAt: state.registeredAt,
      revision: revision.toString(),
      position: PositionDto.from(position),
    };
  }
}
