import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ApiTokenService } from './auth/api-token.service';
import { BearerTokenGuard } from './auth/bearer-token.guard';
import { BillingRunsController } from './billing-runs/billing-runs.controller';
import { CustomersController } from './customers/customers.controller';
import { ApiExceptionFilter } from './errors/api-exception.filter';
import { IdempotencyCleanup } from './idempotency/idempotency-cleanup';
import { IDEMPOTENCY_CLOCK, systemIdempotencyClock } from './idempotency/idempotency-clock';
import { IdempotencyStore } from './idempotency/idempotency-store';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { InvoiceActionsController } from './invoices/invoice-actions.controller';
import { InvoicesController } from './invoices/invoices.controller';
import { QUERY_HANDLERS } from './queries/query-handlers';
import { createValidationPipe } from './validation/create-validation-pipe';

/**
 * The REST API under /rest/v1. Needs, from elsewhere in the app: APP_CONFIG, EVENT_STORE,
 * the read-model ports (INVOICE_, CUSTOMER_, BILLING_RUN_READ_MODEL) and command handlers
 * for RequeueInvoice, ResolveInvoice and StartBillingRun, and SQL_DATABASE migrated with
 * the read models (it keeps the Idempotency-Key records there). Its exception filter and
 * validation pipe are global, so every route (health and unknown routes too) answers
 * errors in one shape.
 */
@Module({
  imports: [CqrsModule.forRoot()],
  controllers: [
    InvoicesController,
    InvoiceActionsController,
    CustomersController,
    BillingRunsController,
  ],
  providers: [
    ...QUERY_HANDLERS,
    ApiTokenService,
    BearerTokenGuard,
    IdempotencyStore,
    IdempotencyInterceptor,
    IdempotencyCleanup,
    { provide: IDEMPOTENCY_CLOCK, useValue: systemIdempotencyClock },
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
    { provide: APP_PIPE, useFactory: createValidationPipe },
  ],
  exports: [ApiTokenService],
})
export class ApiModule {}
