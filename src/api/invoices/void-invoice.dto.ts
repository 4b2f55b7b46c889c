import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class VoidInvoiceDto {
  @ApiProperty({ maxLength: 1000, example: 'duplicate of inv-2026-0002' })
  @IsNotEmpty({ message: 'reason must say why the invoice is voided' })
  @MaxLength(1000, { message: 'reason must be at most 1000 characters' })
  @IsString({ message: 'reason must be a string' })
  readonly reason!: string;
}
