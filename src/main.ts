import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ApiTokenService } from './api/auth/api-token.service';
import { createHttpAdapter } from './api/http-adapter';
import { AppModule } from './app.module';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { ConfigError, loadConfig } from './config/load-config';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    createHttpAdapter(),
    { bufferLogs: false },
  );
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
  const token = app.get(ApiTokenService);
  Logger.log(
    `Antaeus listening on ${url} (event store: ${eventStore.kind}); API docs at ${url}/docs` +
      (token.generated ? `; API token for this run: ${token.token}` : ''),
    'Main',
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
