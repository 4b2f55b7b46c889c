import { randomUUID } from 'node:crypto';
import type { InMemoryLog } from './in-memory-log';

const json = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value), 'utf8');

/**
 * A fresh node's `$all` is not empty: the server writes the default users, settings
 * and statistics into `$`-prefixed streams with `$`-prefixed event types (a sample
 * of them here). Readers of `$all` must skip them.
 */
export function seedSystemEvents(log: InMemoryLog): void {
  const system = (stream: string, type: string, data: unknown): void => {
    log.append(stream, { kind: 'any' }, [
      {
        id: randomUUID(),
        type,
        contentType: 'application/json',
        data: json(data),
        customMetadata: new Uint8Array(),
      },
    ]);
  };
  system('$users', '$UserCreated', { LoginName: 'admin' });
  system('$user-admin', '$user', { loginName: 'admin', fullName: 'Event Store Administrator' });
  system('$users', '$UserCreated', { LoginName: 'ops' });
  system('$user-ops', '$user', { loginName: 'ops', fullName: 'Event Store Operations' });
  system('$settings', '$settings', { $userStreamAcl: { $r: '$all' } });
  system('$scavenges', '$scavengeIndexInitialized', {});
}
