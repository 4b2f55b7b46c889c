import type { BillingConfig } from '../config/app-config';
import { ConfigError } from '../config/load-config';
import { DEFAULT_RETRY_POLICY, parseRetryPolicy, type RetryPolicy } from './domain';

/**
 * The retry policy in force: BILLING_RETRY_POLICY checked by the domain, or the defaults.
 * A bad policy is a ConfigError naming every problem, so the service refuses to start.
 */
export function retryPolicyOf(config: BillingConfig): RetryPolicy {
  if (config.retryPolicy === undefined || config.retryPolicy === null) return DEFAULT_RETRY_POLICY;
  const parsed = parseRetryPolicy(config.retryPolicy);
  if (parsed.ok) return parsed.policy;
  throw new ConfigError(parsed.errors.map((error) => `BILLING_RETRY_POLICY: ${error}`));
}
