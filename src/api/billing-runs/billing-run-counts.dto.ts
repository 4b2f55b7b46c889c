import { ApiProperty } from '@nestjs/swagger';

/** The run's attempts by how they stand now. */
export class BillingRunCountsDto {
  @ApiProperty() readonly processing!: number;
  @ApiProperty() readonly paid!: number;
  @ApiProperty() readonly failed!: number;
  @ApiProperty() readonly unknown!: number;
}
