import { STATUS_CODES } from 'node:http';
import { HttpException, HttpStatus } from '@nestjs/common';
import { BillingRunCommandError } from '../../billing/commands/billing-run-command.error';
import { CustomerCommandError } from '../../billing/commands/customer-command.error';
import {
  InvoiceBatchRejectedError,
  type BatchProblem,
} from '../../billing/commands/invoice-batch-rejected.error';
import { InvoiceCommandError } from '../../billing/commands/invoice-command.error';
import { TestClockError } from '../../billing/commands/test-clock.error';
import { ConcurrentWritesError } from '../../billing/concurrent-writes.error';
import type { InvoiceErrorCode } from '../../billing/domain';
import { WrongExpectedVersionError } from '../../event-store/errors/wrong-expected-version.error';
import { isUnavailable } from '../../shared/is-unavailable';
import { ForbiddenError } from './forbidden.error';
import { IdempotencyKeyError } from '../idempotency/idempotency-key.error';
import { NotFoundError } from './not-found.error';
import { UnauthorizedError } from './unauthorized.error';
import { ValidationError } from './validation.error';

export interface ApiError {
  readonly statusCode: number;
  readonly code: string;
  readonly message: string;
  /** Each problem on its own, for a client to map back to its input (docs/api.md). */
  readonly errors?: readonly ApiErrorItem[];
  /** How loudly the server logs it: client mistakes not at all, outages and bugs loudly. */
  readonly log: 'none' | 'warn' | 'error';
}

/**
 * One problem of a refused request: the batch entry's `index` and `id`, the `field` (a
 * path inside the entry, or from the body's root, or a query parameter), a `code` to
 * branch on and the `message` for a person, which does not repeat the field.
 */
export interface ApiErrorItem {
  readonly index?: number;
  readonly id?: string;
  readonly field?: string;
  readonly code: string;
  readonly message: string;
}

const VALIDATION_FAILED = 'VALIDATION_FAILED';

const INVOICE_ERROR_STATUS: Partial<Record<InvoiceErrorCode, number>> = {
  INVOICE_NOT_FOUND: HttpStatus.NOT_FOUND,
  INVALID_COMMAND: HttpStatus.BAD_REQUEST,
  CUSTOMER_NOT_FOUND: HttpStatus.UNPROCESSABLE_ENTITY,
  CURRENCY_MISMATCH: HttpStatus.UNPROCESSABLE_ENTITY,
};

/**
 * A batch is answered with its gravest problem: 400 (VALIDATION_FAILED, as every 400) for
 * any malformed entry, else 422 for any unprocessable invoice, else 409; the message lists
 * every problem either way (docs/api.md).
 */
function batchError(error: InvoiceBatchRejectedError): ApiError {
  const errors = error.problems.map(batchErrorItem);
  if (error.malformed.length > 0) {
    return clientError(400, VALIDATION_FAILED, error.message, errors);
  }
  const statuses = error.rejections.map((each) => INVOICE_ERROR_STATUS[each.code] ?? 409);
  const status = Math.max(...statuses.filter((each) => each !== 409), 409);
  return clientError(status, error.code, error.message, errors);
}

function batchErrorItem(problem: BatchProblem): ApiErrorItem {
  const { index, invoiceId, message } = problem;
  const id = invoiceId === undefined ? {} : { id: invoiceId };
  if (problem.kind === 'refused') return { index, ...id, code: problem.code, message };
  const field = problem.field === undefined ? {} : { field: problem.field };
  return { index, ...id, ...field, code: VALIDATION_FAILED, message };
}

/** Every VALIDATION_FAILED lists its fields; a refusal that names none is one item. */
function validationError(error: ValidationError): ApiError {
  const errors =
    error.fields.length > 0
      ? error.fields.map(({ field, message }) => ({ field, code: error.code, message }))
      : [{ code: error.code, message: error.message }];
  return clientError(400, error.code, error.message, errors);
}

export const INTERNAL_ERROR_MESSAGE =
  'Internal error: the request failed on the server; it has been logged';

/** The one mapping from anything thrown to an HTTP status, a code and a safe message. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ValidationError) return validationError(error);
  if (error instanceof UnauthorizedError) return clientError(401, error.code, error.message);
  if (error instanceof ForbiddenError) return clientError(403, error.code, error.message);
  if (error instanceof NotFoundError) return clientError(404, error.code, error.message);
  if (error instanceof IdempotencyKeyError) {
    return clientError(error.statusCode, error.code, error.message);
  }
  if (error instanceof InvoiceCommandError) {
    const status = INVOICE_ERROR_STATUS[error.code] ?? HttpStatus.CONFLICT;
    return clientError(status, error.code, error.message);
  }
  if (error instanceof InvoiceBatchRejectedError) {
    return batchError(error);
  }
  if (error instanceof CustomerCommandError) {
    return clientError(error.code === 'INVALID_COMMAND' ? 400 : 409, error.code, error.message);
  }
  if (error instanceof BillingRunCommandError) {
    return clientError(error.code === 'INVALID_COMMAND' ? 400 : 409, error.code, error.message);
  }
  if (error instanceof TestClockError) {
    return clientError(error.code === 'TEST_CLOCK_OFF' ? 404 : 400, error.code, error.message);
  }
  // A concurrent writer won and the handler's retries (if any) did not settle it.
  if (error instanceof WrongExpectedVersionError || error instanceof ConcurrentWritesError) {
    return clientError(
      409,
      'WRONG_EXPECTED_VERSION',
      `Another write changed this resource at the same time; read it again and retry (${error.message})`,
    );
  }
  if (error instanceof HttpException) return fromHttpException(error);
  if (isUnavailable(error)) {
    return {
      statusCode: 503,
      code: 'SERVICE_UNAVAILABLE',
      message: 'The event store or the database is unavailable; try again shortly',
      log: 'warn',
    };
  }
  return { statusCode: 500, code: 'INTERNAL_ERROR', message: INTERNAL_ERROR_MESSAGE, log: 'error' };
}

/** The body of every error response: `{ statusCode, error, code, message, errors? }`. */
export function apiErrorBody({ statusCode, code, message, errors }: ApiError): ApiErrorBody {
  const body = { statusCode, error: reasonPhrase(statusCode), code, message };
  return errors === undefined ? body : { ...body, errors };
}

export interface ApiErrorBody {
  readonly statusCode: number;
  readonly error: string;
  readonly code: string;
  readonly message: string;
  readonly errors?: readonly ApiErrorItem[];
}

function reasonPhrase(statusCode: number): string {
  return STATUS_CODES[statusCode] ?? 'Error';
}

function clientError(
  statusCode: number,
  code: string,
  message: string,
  errors?: readonly ApiErrorItem[],
): ApiError {
  return { statusCode, code, message, ...(errors === undefined ? {} : { errors }), log: 'none' };
}

/**
 * Errors Fastify answers before any route runs, by their `code`: said in the API's words
 * (the request path is never echoed back).
 */
const FASTIFY_ERRORS: Readonly<Record<string, { code: string; message: string }>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: 'INVALID_JSON',
    message:
      'The request body is not valid JSON, or holds a __proto__ or constructor.prototype key (a JSON object is expected)',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'INVALID_JSON',
    message:
      'The request body is not valid JSON: it is empty, but its Content-Type says JSON (a JSON object is expected)',
  },
  FST_ERR_BAD_URL: {
    code: 'INVALID_URL',
    message: 'The request path is not valid percent-encoding',
  },
  FST_ERR_MAX_PARAM_LENGTH: {
    code: 'URI_TOO_LONG',
    message: 'A path parameter is too long: no id or status is that long',
  },
};

/**
 * Nest's own exceptions (unknown routes) and Fastify's errors from before a route runs
 * (bad JSON, a body too large, an unsupported media type), which Nest's adapter hands
 * over as HttpExceptions with the Fastify error as their cause.
 */
function fromHttpException(error: HttpException): ApiError {
  const statusCode = error.getStatus();
  if (statusCode >= 500) {
    return {
      statusCode: 500,
      code: 'INTERNAL_ERROR',
      message: INTERNAL_ERROR_MESSAGE,
      log: 'error',
    };
  }
  const known = FASTIFY_ERRORS[errorCode(error.cause) ?? ''];
  if (known) return clientError(statusCode, known.code, known.message);
  const code = reasonPhrase(statusCode).toUpperCase().replace(/\W+/g, '_');
  return clientError(statusCode, code, httpExceptionMessage(error));
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

function httpExceptionMessage(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  return typeof message === 'string' ? message : error.message;
}
