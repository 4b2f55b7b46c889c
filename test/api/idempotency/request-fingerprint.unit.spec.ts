import fc from 'fast-check';
import { canonicalJson } from '../../../src/api/idempotency/canonical-json';
import { requestFingerprint } from '../../../src/api/idempotency/request-fingerprint';

describe('canonicalJson', () => {
  it('orders keys at every depth and drops spacing', () => {
    const value = JSON.parse('{ "b": [ { "z": 1, "a": null } ], "a": "x" }');

    expect(canonicalJson(value)).toBe('{"a":"x","b":[{"a":null,"z":1}]}');
  });

  it('leaves out undefined properties, as JSON does, and writes a missing body as null', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('orders keys by code unit, whatever the insertion order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (object) => {
        const reversed = Object.fromEntries(Object.entries(object).reverse());

        expect(canonicalJson(reversed)).toBe(canonicalJson(object));
        expect(JSON.parse(canonicalJson(object))).toEqual(JSON.parse(JSON.stringify(object)));
      }),
    );
  });
});

describe('requestFingerprint', () => {
  const request = {
    method: 'POST',
    route: '/rest/v1/invoices/:invoiceId/resolve',
    params: { invoiceId: '7' },
    body: { outcome: 'PAID', note: 'checked' },
  };

  it('is the same for the same request with its body keys in another order', () => {
    const reordered = { ...request, body: { note: 'checked', outcome: 'PAID' } };

    expect(requestFingerprint(reordered)).toBe(requestFingerprint(request));
    expect(requestFingerprint(request)).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['the method', { method: 'PUT' }],
    ['the route', { route: '/rest/v1/invoices/:invoiceId/requeue' }],
    ['a path parameter', { params: { invoiceId: '8' } }],
    ['a body value', { body: { outcome: 'FAILED', note: 'checked' } }],
    ['an extra body field', { body: { outcome: 'PAID', note: 'checked', resolvedBy: 'x' } }],
    ['no body', { body: undefined }],
  ])('differs when %s differs', (_, change) => {
    expect(requestFingerprint({ ...request, ...change })).not.toBe(requestFingerprint(request));
  });
});
