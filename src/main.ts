import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger as PinoLogger } from 'nestjs-pino';
import { ApiKeys, GENERATED_KEY_NAME } from './api/auth/api-keys.service';
import { createHttpAdapter } from './api/http-adapter';
import { AppModule } from './app.module';
import { retryPolicyOf } from './billing/retry-policy-of';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { ConfigError, loadConfig } from './config/load-config';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  retryPolicyOf(config.billing); // a bad policy refuses to start, naming every problem
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    createHttpAdapter(),
    { bufferLogs: true },
  );
  app.useLogger(app.get(PinoLogger));
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Antaeus')
      .setDescription('Event-sourced subscription billing')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
  await app.listen(config.port, '0.0.0.0');
  const url = `http://localhost:${config.port}`;
  const { eventStore } = app.get<AppConfig>(APP_CONFIG);
  Logger.log(
    `Antaeus listening on ${url} (event store: ${eventStore.kind}); API docs at ${url}/docs`,
    'Main',
  );
  printGeneratedKey(app.get(ApiKeys).generatedKey);
}

/**
 * Once, on stdout, for the person at the terminal, and never through the logger:
 * keys stay out of every log line.
 */
function printGeneratedKey(key: string | undefined): void {
  if (key === undefined) return;
  process.stdout.write(
    `\nNo API keys configured (ANTAEUS_API_KEYS, ANTAEUS_API_TOKEN). Until restart, this key ` +
      `("${GENERATED_KEY_NAME}", scopes read and operate) is accepted:\n\n  ${key}\n\n`,
  );
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('Antaeus failed to start:', error);
  }
  process.exit(1);
});
