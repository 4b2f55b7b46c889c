import {
  ValidationPipe,
  type ArgumentMetadata,
  type ValidationError as ClassValidatorError,
} from '@nestjs/common';
import { ValidationError } from '../errors/validation.error';
import type { FieldError } from './field-error';

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
    exceptionFactory: (errors) => {
      const broken = brokenRules(errors);
      return new ValidationError(
        broken.map((each) => each.sentence).join('; '),
        broken.map((each) => each.error),
      );
    },
  });
}

/**
 * Each broken rule as the sentence the message lists and as its field and what is wrong.
 * The DTOs' messages start with the property's name (`size must be between 1 and 500`),
 * which the field says on its own.
 */
function brokenRules(
  errors: readonly ClassValidatorError[],
  parent = '',
): { sentence: string; error: FieldError }[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([name, message]) =>
      name === 'whitelistValidation'
        ? {
            sentence: `${field} is not a known property`,
            error: { field, message: 'is not a known property' },
          }
        : { sentence: message, error: { field, message: withoutLeading(message, error.property) } },
    );
    return [...own, ...brokenRules(error.children ?? [], field)];
  });
}

function withoutLeading(message: string, property: string): string {
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}
