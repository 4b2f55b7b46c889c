import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export const RESOLUTION_OUTCOMES = ['PAID', 'FAILED'] as const;

/**
 * A person checked with the provider what happened to an UNKNOWN attempt. (Type checks
 * are the last decorator: class-validator runs them bottom-up, first failure reported.)
 */
export class ResolveInvoiceDto {
  @ApiProperty({ enum: RESOLUTION_OUTCOMES })
  @IsIn(RESOLUTION_OUTCOMES, { message: 'outcome must be PAID or FAILED' })
  readonly outcome!: (typeof RESOLUTION_OUTCOMES)[number];

  @ApiProperty({ maxLength: 1000, example: 'provider dashboard shows the charge settled' })
  @MaxLength(1000, { message: 'note must be at most 1000 characters' })
  @IsNotEmpty({ message: 'note must not be empty' })
  @IsString({ message: 'note must be a string' })
  readonly note!: string;

  @ApiPropertyOptional({ maxLength: 200, example: 'alice@example.com' })
  @IsOptional()
  @MaxLength(200, { message: 'resolvedBy must be at most 200 characters' })
  @IsString({ message: 'resolvedBy must be a string' })
  readonly resolvedBy?: string;
}
