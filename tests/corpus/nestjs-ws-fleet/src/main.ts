import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { WsAdapter } from '@nestjs/platform-ws';
import { AppModule } from './app.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule);
  app.enableShutdownHooks();
  // Vehicles and dispatch consoles speak plain websockets (JSON frames), not socket.io.
  app.useWebSocketAdapter(new WsAdapter(app));
  await app.listen(Number(process.env.PORT ?? 8080));
}

void bootstrap();
