import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { createTestApp } from './support/create-test-app';

type Operation = {
  summary?: string;
  security?: unknown[];
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
};

describe('the OpenAPI document', () => {
  let app: INestApplication;
  let document: OpenAPIObject;

  beforeAll(async () => {
    ({ app } = await createTestApp());
    document = SwaggerModule.createDocument(app, new DocumentBuilder().addBearerAuth().build());
  });

  afterAll(async () => {
    await app.close();
  });

  const operation = (path: string, method: 'get' | 'post') =>
    (document.paths[path] as Record<string, Operation> | undefined)?.[method];

  const ROUTES: [string, 'get' | 'post', string, string][] = [
    ['/rest/v1/invoices', 'get', '200', 'InvoicePageDto'],
    ['/rest/v1/invoices/status/{status}', 'get', '200', 'InvoicePageDto'],
    ['/rest/v1/invoices/failed/{invoiceId}', 'get', '200', 'FailureHistoryDto'],
    ['/rest/v1/invoices/{invoiceId}', 'get', '200', 'InvoiceDto'],
    ['/rest/v1/invoices/{invoiceId}/events', 'get', '200', 'InvoiceEventsDto'],
    ['/rest/v1/invoices/{invoiceId}/requeue', 'post', '202', 'InvoiceWrittenDto'],
    ['/rest/v1/invoices/{invoiceId}/resolve', 'post', '202', 'InvoiceWrittenDto'],
    ['/rest/v1/customers', 'get', '200', 'CustomerPageDto'],
    ['/rest/v1/customers/{customerId}', 'get', '200', 'CustomerDto'],
    ['/rest/v1/billing-runs', 'post', '202', 'BillingRunStartedDto'],
    ['/rest/v1/billing-runs', 'get', '200', 'BillingRunPageDto'],
    ['/rest/v1/billing-runs/{runId}', 'get', '200', 'BillingRunDto'],
  ];

  it.each(ROUTES)(
    'documents %s %s: summary, success schema and error schema',
    (path, method, ok, schema) => {
      const documented = operation(path, method);

      expect(documented?.summary).toEqual(expect.any(String));
      expect(documented?.responses[ok]?.content?.['application/json'].schema.$ref).toBe(
        `#/components/schemas/${schema}`,
      );
      expect(documented?.responses['503']?.content?.['application/json'].schema.$ref).toBe(
        '#/components/schemas/ApiErrorDto',
      );
    },
  );

  it('marks every route as needing an API key, with its 401 and the scope its 403 names', () => {
    for (const [path, method] of ROUTES) {
      const documented = operation(path, method);
      const scope = method === 'get' ? 'read' : 'operate';

      expect(documented?.security).toEqual([{ bearer: [] }]);
      expect(documented?.responses['401']?.content?.['application/json'].schema.$ref).toBe(
        '#/components/schemas/ApiErrorDto',
      );
      expect(documented?.responses['403']).toMatchObject({
        description: `The API key does not have the ${scope} scope`,
      });
    }
    expect((document.paths['/rest/health'] as Record<string, Operation>).get.security).toBe(
      undefined,
    );
  });

  it('documents revisions and positions as strings, and the resolve body', () => {
    const schemas = document.components?.schemas as Record<
      string,
      { properties: Record<string, { type?: string; enum?: string[] }>; required?: string[] }
    >;

    expect(schemas.InvoiceDto.properties.revision.type).toBe('string');
    expect(schemas.PositionDto.properties.commit.type).toBe('string');
    expect(schemas.ResolveInvoiceDto.properties.outcome.enum).toEqual(['PAID', 'FAILED']);
    expect(schemas.ResolveInvoiceDto.required).toEqual(['outcome', 'note']);
  });

  it('documents the error list: optional, each item with a code and a message', () => {
    const schemas = document.components?.schemas as Record<
      string,
      {
        properties: Record<string, { type?: string; items?: { $ref?: string } }>;
        required?: string[];
      }
    >;

    expect(schemas.ApiErrorDto.properties.errors).toMatchObject({
      type: 'array',
      items: { $ref: '#/components/schemas/ApiErrorItemDto' },
    });
    expect(schemas.ApiErrorDto.required).toEqual(['statusCode', 'error', 'code', 'message']);
    expect(Object.keys(schemas.ApiErrorItemDto.properties)).toEqual([
      'index',
      'id',
      'field',
      'code',
      'message',
    ]);
    expect(schemas.ApiErrorItemDto.required).toEqual(['code', 'message']);
  });
});
