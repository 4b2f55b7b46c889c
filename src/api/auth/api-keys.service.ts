import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { API_SCOPES, APP_CONFIG, type AppConfig } from '../../config/app-config';
import type { Principal } from './principal';

/** The principal of the key made at start when none is configured. */
export const GENERATED_KEY_NAME = 'generated';

interface StoredKey {
  readonly digest: Buffer;
  readonly principal: Principal;
}

/**
 * The configured API keys, kept as SHA-256 digests, or one generated at start (both
 * scopes) when none is configured, so a demo needs no set-up. Instances generate
 * different keys: configure them when running more than one.
 */
@Injectable()
export class ApiKeys {
  /** The key made at start, for main.ts to print once; undefined when keys are configured. */
  readonly generatedKey: string | undefined;
  private readonly keys: readonly StoredKey[];

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const configured = config.apiKeys;
    this.generatedKey = configured.length === 0 ? randomBytes(32).toString('base64url') : undefined;
    const keys = this.generatedKey
      ? [{ name: GENERATED_KEY_NAME, scopes: API_SCOPES, key: this.generatedKey }]
      : configured;
    this.keys = keys.map(({ name, scopes, key }) => ({
      digest: sha256(key),
      principal: { name, scopes: new Set(scopes) },
    }));
  }

  /**
   * The principal whose key this is, or undefined. Compares fixed-size digests in
   * constant time, and every configured key whatever matched: the time taken says
   * nothing about the candidate's content, its length, or which key it is.
   */
  authenticate(candidate: string): Principal | undefined {
    const digest = sha256(candidate);
    let found: Principal | undefined;
    for (const key of this.keys) {
      if (timingSafeEqual(digest, key.digest)) found ??= key.principal;
    }
    return found;
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
