import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, ValidateBy, type ValidationArguments } from 'class-validator';
import { describeEntityIdRule, isEntityId } from '../../billing/domain';
import type { InvoicePageRequest } from '../read-models/invoice-read-model.port';
import { MAX_PAGE, MAX_PAGE_SIZE, toInteger } from '../dto/page-query.dto';

const PAGE_WITH_AFTER =
  "page and after cannot be used together: pass after (the previous page's next) alone, or page alone for a shallow page";

/**
 * `?page=3&size=50` (OFFSET: cost grows with the page, for shallow pages) or
 * `?after=<invoiceId>&size=50` (keyset: the same cost at any depth). `page` has no
 * default here so that `page` with `after` can be refused rather than silently mixed.
 * Type checks are the last decorator: class-validator runs them bottom-up.
 */
export class InvoicePageQueryDto {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_PAGE,
    default: 0,
    description:
      '0-based page number (OFFSET: cost grows with page × size; for shallow pages). Not with `after`.',
  })
  @IsOptional()
  @Transform(toInteger)
  @Min(0, { message: `page must be between 0 and ${MAX_PAGE}` })
  @Max(MAX_PAGE, { message: `page must be between 0 and ${MAX_PAGE}` })
  @IsInt({ message: `page must be a whole number between 0 and ${MAX_PAGE}` })
  readonly page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 })
  @Transform(toInteger)
  @Min(1, { message: `size must be between 1 and ${MAX_PAGE_SIZE}` })
  @Max(MAX_PAGE_SIZE, { message: `size must be between 1 and ${MAX_PAGE_SIZE}` })
  @IsInt({ message: `size must be a whole number between 1 and ${MAX_PAGE_SIZE}` })
  readonly size: number = 50;

  @ApiPropertyOptional({
    example: '4711',
    maxLength: 128,
    description:
      'Keyset cursor: the invoices after this invoice id, in id order (it need not exist). ' +
      "Pass the previous page's `next`. Use it for deep pages. Not with `page`.",
  })
  @IsOptional()
  @ValidateBy({
    name: 'notWithPage',
    validator: {
      validate: (_value: unknown, args?: ValidationArguments) => !hasPage(args),
      defaultMessage: () => PAGE_WITH_AFTER,
    },
  })
  @ValidateBy(
    { name: 'isEntityId', validator: { validate: (value: unknown) => isEntityId(value) } },
    { message: `after must be ${describeEntityIdRule()}` },
  )
  readonly after?: string;

  toRequest(): InvoicePageRequest {
    return this.after === undefined
      ? { page: this.page ?? 0, size: this.size }
      : { after: this.after, size: this.size };
  }
}

function hasPage(args: ValidationArguments | undefined): boolean {
  return (args?.object as InvoicePageQueryDto | undefined)?.page !== undefined;
}
