import { Injectable, type PipeTransform } from '@nestjs/common';
import { describeEntityIdRule, isEntityId } from '../../billing/domain';
import { ValidationError } from '../errors/validation.error';

/** A path id, checked with the domain's rule before it reaches a stream name or a query. */
@Injectable()
export class ParseEntityIdPipe implements PipeTransform<unknown, string> {
  constructor(private readonly name: string) {}

  transform(value: unknown): string {
    if (!isEntityId(value)) {
      throw new ValidationError(`${this.name} must be ${describeEntityIdRule()}`);
    }
    return value;
  }
}
