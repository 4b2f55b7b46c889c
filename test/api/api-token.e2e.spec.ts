import { Logger } from '@nestjs/common';
import request from 'supertest';
import { ApiTokenService } from '../../src/api/auth/api-token.service';
import { createTestApp, TEST_TOKEN } from './support/create-test-app';

describe('the API token', () => {
  it('uses ANTAEUS_API_TOKEN when it is set, and prints nothing', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => {});
    const { app } = await createTestApp({ ANTAEUS_API_TOKEN: TEST_TOKEN });
    try {
      const tokens = app.get(ApiTokenService);

      expect(tokens).toMatchObject({ token: TEST_TOKEN, generated: false });
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      await app.close();
    }
  });

  it('is generated at start when none is configured, printed once, and then required', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => {});
    const { app, world } = await createTestApp({});
    try {
      const { token, generated } = app.get(ApiTokenService);
      world.addInvoice('1', 'FAILED');

      expect(generated).toBe(true);
      expect(token).toMatch(/^[\w-]{43}$/);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0][0]).toContain(token);
      await request(app.getHttpServer())
        .post('/rest/v1/invoices/1/requeue')
        .set({ Authorization: `Bearer ${TEST_TOKEN}` })
        .expect(401);
      await request(app.getHttpServer())
        .post('/rest/v1/invoices/1/requeue')
        .set({ Authorization: `Bearer ${token}` })
        .expect(202);
    } finally {
      warn.mockRestore();
      await app.close();
    }
  });

  it('differs between two starts', async () => {
    const first = await createTestApp({});
    const second = await createTestApp({});
    try {
      expect(first.app.get(ApiTokenService).token).not.toBe(second.app.get(ApiTokenService).token);
    } finally {
      await first.app.close();
      await second.app.close();
    }
  });
});
