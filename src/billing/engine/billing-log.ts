import { Logger } from '@nestjs/common';

/**
 * The ids on every line about billing work (docs/operations.md, "Log fields"): the run,
 * the invoice and its attempt, each null when the line is not about one. The instance
 * (`instanceId`) is on every line of the service already.
 */
export interface BillingLogIds {
  readonly runId: string | null;
  readonly invoiceId: string | null;
  readonly attempt: number | null;
}

/** An attempt, or anything that names one (an OpenAttempt). */
export interface AttemptIds {
  readonly runId: string;
  readonly invoiceId: string;
  readonly attempt: number;
}

const NO_IDS: BillingLogIds = { runId: null, invoiceId: null, attempt: null };

/**
 * A logger for billing work: a child for a run or an attempt binds its ids, and every
 * line goes to Nest's logger as `{ msg, runId, invoiceId, attempt }`, which the JSON logs
 * (nestjs-pino) write as fields beside the message.
 */
export class BillingLog {
  private readonly logger: Logger;

  constructor(
    context: string | Logger,
    private readonly ids: BillingLogIds = NO_IDS,
  ) {
    this.logger = typeof context === 'string' ? new Logger(context) : context;
  }

  forRun(runId: string | null): BillingLog {
    return new BillingLog(this.logger, { runId, invoiceId: null, attempt: null });
  }

  /** An invoice of a run, before it has an attempt (a claim that failed). */
  forInvoice(runId: string | null, invoiceId: string): BillingLog {
    return new BillingLog(this.logger, { runId, invoiceId, attempt: null });
  }

  forAttempt({ runId, invoiceId, attempt }: AttemptIds): BillingLog {
    return new BillingLog(this.logger, { runId, invoiceId, attempt });
  }

  log(message: string): void {
    this.logger.log({ msg: message, ...this.ids });
  }

  warn(message: string): void {
    this.logger.warn({ msg: message, ...this.ids });
  }

  error(message: string): void {
    this.logger.error({ msg: message, ...this.ids });
  }
}
