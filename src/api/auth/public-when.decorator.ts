import { SetMetadata } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';

export const PUBLIC_WHEN = 'antaeus:publicWhen';

/** Whether a route is open to anyone, decided from the settings at each request. */
export type PublicWhenSetting = (config: AppConfig) => boolean;

/**
 * A route outside /rest/v1 that declares a scope (@RequiresScope) is guarded like the
 * API unless this setting opens it: `/metrics` with METRICS_PUBLIC=true.
 */
export function PublicWhen(setting: PublicWhenSetting): MethodDecorator & ClassDecorator {
  return SetMetadata(PUBLIC_WHEN, setting);
}
