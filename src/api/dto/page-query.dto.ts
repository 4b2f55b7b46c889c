import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import type { PageRequest } from '../../shared/page';

export const MAX_PAGE = 1_000_000;
export const MAX_PAGE_SIZE = 500;

// Digits become a number; anything else ("abc", "1.5", "", a repeated parameter) stays as
// it is and fails @IsInt, so the message names the parameter.
export function toInteger({ value }: { value: unknown }): unknown {
  return typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : value;
}

/**
 * `?page=0&size=50`: 0-based page, 1..500 items. The type check is the last decorator
 * because class-validator runs them bottom-up and reports only the first failure.
 */
export class PageQueryDto implements PageRequest {
  @ApiPropertyOptional({ minimum: 0, maximum: MAX_PAGE, default: 0, description: '0-based' })
  @Transform(toInteger)
  @Min(0, { message: `page must be between 0 and ${MAX_PAGE}` })
  @Max(MAX_PAGE, { message: `page must be between 0 and ${MAX_PAGE}` })
  @IsInt({ message: `page must be a whole number between 0 and ${MAX_PAGE}` })
  readonly page: number = 0;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 })
  @Transform(toInteger)
  @Min(1, { message: `size must be between 1 and ${MAX_PAGE_SIZE}` })
  @Max(MAX_PAGE_SIZE, { message: `size must be between 1 and ${MAX_PAGE_SIZE}` })
  @IsInt({ message: `size must be a whole number between 1 and ${MAX_PAGE_SIZE}` })
  readonly size: number = 50;
}
