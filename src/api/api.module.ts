import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ApiKeyGuard } from './auth/api-key.guard';
import { ApiKeys } from './auth/api-keys.service';
import { BillingRunsController } from './billing-runs/billing-runs.controller';
import { CustomersController } from './customers/customers.controller';
import { ApiExceptionFilter } from './errors/api-exception.filter';
import { EventFeed } from './events/event-feed';
import { EventsController } from './events/events.controller';
import { IdempotencyCleanup } from './idempotency/idempotency-cleanup';
import { IDEMPOTENCY_CLOCK, systemIdempotencyClock } from './idempotency/idempotency-clock';
import { IdempotencyStore } from './idempotency/idempotency-store';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { InvoiceActionsController } from './invoices/invoice-actions.controller';
import { InvoiceCreationController } from './invoices/invoice-creation.controller';
import { InvoicesController } from './invoices/invoices.controller';
import { QUERY_HANDLERS } from './queries/query-handlers';
import { TestClockController } from './test-clock/test-clock.controller';
import { createValidationPipe } from './validation/create-validation-pipe';

/**
 * The REST API under /rest/v1. Needs, from elsewhere in the app: APP_CONFIG, EVENT_STORE,
 * the read-model ports (INVOICE_, CUSTOMER_, BILLING_RUN_READ_MODEL), the CQRS buses
 * (CqrsModule.forRoot(), which BillingModule imports) and command handlers for
 * RequeueInvoice, ResolveInvoice, VoidInvoice, RegisterCustomer, CreateInvoice,
 * CreateInvoiceBatch, StartBillingRun and AdvanceTestClock.
 * SQL_DATABASE migrated with the read models (it keeps the Idempotency-Key records
 * there). Its exception filter and
 * validation pipe are global, so every route (health and unknown routes too) answers
 * errors in one shape; its API key guard is global too, and guards every /rest/v1 route.
 */
@Module({
  controllers: [
    InvoicesController,
    InvoiceCreationController,
    InvoiceActionsController,
    CustomersController,
    BillingRunsController,
    EventsController,
    TestClockController,
  ],
  providers: [
    ...QUERY_HANDLERS,
    EventFeed,
    ApiKeys,
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    IdempotencyStore,
    IdempotencyInterceptor,
    IdempotencyCleanup,
    { provide: IDEMPOTENCY_CLOCK, useValue: systemIdempotencyClock },
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
    { provide: APP_PIPE, useFactory: createValidationPipe },
  ],
  exports: [ApiKeys],
})
export class ApiModule {}
