/**
 * What a 400 VALIDATION_FAILED says in `errors` for one of its message's sentences,
 * `size must be between 1 and 500`: the field, and the rest as what is wrong.
 */
export function fieldErrorOf(sentence: string): {
  field: string;
  code: 'VALIDATION_FAILED';
  message: string;
} {
  const [field, ...wrong] = sentence.split(' ');
  return { field, code: 'VALIDATION_FAILED', message: wrong.join(' ') };
}

/** The whole 400 answer whose message lists `field what…` sentences, one per bad field. */
export function validationFailed(message: string): Record<string, unknown> {
  return {
    statusCode: 400,
    error: 'Bad Request',
    code: 'VALIDATION_FAILED',
    message,
    errors: message.split('; ').map(fieldErrorOf),
  };
}
