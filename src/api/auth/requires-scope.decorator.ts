import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';
import type { ApiScope } from '../../config/app-config';
import { ApiErrorDto } from '../errors/api-error.dto';

export const REQUIRED_SCOPE = 'antaeus:requiredScope';

/**
 * The scope an API key needs for a controller's routes or one route, not both (documented with
 * its 401 and 403). A /rest/v1 route that declares none needs `operate`, the stricter
 * scope: a forgotten declaration refuses too much, never too little.
 */
export function RequiresScope(scope: ApiScope): ClassDecorator & MethodDecorator {
  return applyDecorators(
    SetMetadata(REQUIRED_SCOPE, scope),
    ApiBearerAuth(),
    ApiResponse({
      status: 401,
      type: ApiErrorDto,
      description: 'No API key, an unknown one, or an Authorization header that is not Bearer',
    }),
    ApiResponse({
      status: 403,
      type: ApiErrorDto,
      description: `The API key does not have the ${scope} scope`,
    }),
  );
}
