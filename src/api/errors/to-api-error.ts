import { STATUS_CODES } from 'node:http';
import { HttpException, HttpStatus } from '@nestjs/common';
import { BillingRunCommandError } from '../../billing/commands/billing-run-command.error';
import { InvoiceCommandError } from '../../billing/commands/invoice-command.error';
import { ConcurrentWritesError } from '../../billing/invoice-command-executor';
import type { InvoiceErrorCode } from '../../billing/domain';
import { WrongExpectedVersionError } from '../../event-store/errors/wrong-expected-version.error';
import { isUnavailable } from '../../shared/is-unavailable';
import { NotFoundError } from './not-found.error';
import { UnauthorizedError } from './unauthorized.error';
import { ValidationError } from './validation.error';

export interface ApiError {
  readonly statusCode: number;
  readonly code: string;
  readonly message: string;
  /** How loudly the server logs it: client mistakes not at all, outages and bugs loudly. */
  readonly log: 'none' | 'warn' | 'error';
}

const INVOICE_ERROR_STATUS: Partial<Record<InvoiceErrorCode, number>> = {
  INVOICE_NOT_FOUND: HttpStatus.NOT_FOUND,
  INVALID_COMMAND: HttpStatus.BAD_REQUEST,
};

export const INTERNAL_ERROR_MESSAGE =
  'Internal error: the request failed on the server; it has been logged';

/** The one mapping from anything thrown to an HTTP status, a code and a safe message. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ValidationError) return clientError(400, error.code, error.message);
  if (error instanceof UnauthorizedError) return clientError(401, error.code, error.message);
  if (error instanceof NotFoundError) return clientError(404, error.code, error.message);
  if (error instanceof InvoiceCommandError) {
    const status = INVOICE_ERROR_STATUS[error.code] ?? HttpStatus.CONFLICT;
    return clientError(status, error.code, error.message);
  }
  if (error instanceof BillingRunCommandError) {
    return clientError(error.code === 'INVALID_COMMAND' ? 400 : 409, error.code, error.message);
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

export function reasonPhrase(statusCode: number): string {
  return STATUS_CODES[statusCode] ?? 'Error';
}

function clientError(statusCode: number, code: string, message: string): ApiError {
  return { statusCode, code, message, log: 'none' };
}

// Nest's own exceptions: unknown routes, and express's body and URL errors it maps to 400.
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
  const { cause } = error;
  if (cause instanceof SyntaxError && statusCode === 400) {
    return clientError(
      400,
      'INVALID_JSON',
      `The request body is not valid JSON (a JSON object is expected): ${cause.message}`,
    );
  }
  if (cause instanceof URIError && statusCode === 400) {
    return clientError(400, 'INVALID_URL', 'The request path is not valid percent-encoding');
  }
  const code = reasonPhrase(statusCode).toUpperCase().replace(/\W+/g, '_');
  return clientError(statusCode, code, httpExceptionMessage(error));
}

function httpExceptionMessage(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  return typeof message === 'string' ? message : error.message;
}
