import {
  ValidationPipe,
  type ArgumentMetadata,
  type ValidationError as ClassValidatorError,
} from '@nestjs/common';
import { ValidationError } from '../errors/validation.error';

/**
 * Query strings and bodies become DTO instances, checked by their class-validator rules.
 * Unknown properties are refused, not ignored, so `?pageSize=10` or a misspelt field is
 * a 400 rather than a silent default. Each problem names its field.
 */
class ApiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body') {
      // No body at all is an empty one; an array or a scalar is never a command.
      if (value === undefined) value = {};
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new ValidationError('The request body must be a JSON object');
      }
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new ApiValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => new ValidationError(describe(errors).join('; ')),
  });
}

function describe(errors: readonly ClassValidatorError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([name, message]) =>
      name === 'whitelistValidation' ? `${path} is not a known property` : message,
    );
    return [...own, ...describe(error.children ?? [], path)];
  });
}
