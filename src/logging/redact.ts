/**
 * Fields the logger censors wherever they appear, top level or one object down, with the
 * request's Authorization and Cookie headers: keys, tokens and secrets never reach a line.
 */
const SECRET_FIELDS = ['key', 'apiKey', 'token', 'apiToken', 'secret', 'password', 'authorization'];

export const REDACTED = '[redacted]';

export const REDACT_PATHS: readonly string[] = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((field) => `*.${field}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
];

const BEARER_CREDENTIAL = /\b(Bearer)\s+\S+/gi;

/**
 * Log messages are free text, which field paths cannot reach: a message that quotes an
 * Authorization header or holds one of the configured keys is scrubbed before it is
 * written.
 */
export function messageScrubber(secrets: readonly string[]): (text: string) => string {
  const known = secrets.filter((secret) => secret.length > 0);
  return (text) => {
    let scrubbed = text.replace(BEARER_CREDENTIAL, `$1 ${REDACTED}`);
    for (const secret of known) {
      if (scrubbed.includes(secret)) scrubbed = scrubbed.split(secret).join(REDACTED);
    }
    return scrubbed;
  };
}
