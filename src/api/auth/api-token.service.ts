import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';

/**
 * The bearer token of the mutating routes: ANTAEUS_API_TOKEN, or one generated at start
 * and printed once, so a demo needs no set-up. Instances generate different tokens:
 * configure one when running more than one.
 */
@Injectable()
export class ApiTokenService implements OnApplicationBootstrap {
  readonly token: string;
  readonly generated: boolean;
  private readonly digest: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.generated = config.apiToken === undefined;
    this.token = config.apiToken ?? randomBytes(32).toString('base64url');
    this.digest = sha256(this.token);
  }

  onApplicationBootstrap(): void {
    if (this.generated) {
      new Logger('Api').warn(
        `ANTAEUS_API_TOKEN is not set; mutating routes accept this generated token until restart: ${this.token}`,
      );
    }
  }

  /** Constant time in the candidate's content and length: compares fixed-size digests. */
  matches(candidate: string): boolean {
    return timingSafeEqual(sha256(candidate), this.digest);
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
