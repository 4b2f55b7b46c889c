import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** Optional: who asks and why, for the audit trail. */
export class RequeueInvoiceDto {
  @ApiPropertyOptional({ maxLength: 1000, example: 'customer topped up their balance' })
  @IsOptional()
  @MaxLength(1000, { message: 'note must be at most 1000 characters' })
  @IsString({ message: 'note must be a string' })
  readonly note?: string;

  @ApiPropertyOptional({ maxLength: 200, example: 'alice@example.com' })
  @IsOptional()
  @MaxLength(200, { message: 'requestedBy must be at most 200 characters' })
  @IsString({ message: 'requestedBy must be a string' })
  readonly requestedBy?: string;
}
