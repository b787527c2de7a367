import { NestFactory } from '@nestjs/core';
import { WsAdapter } from '@nestjs/platform-ws';
import { AppModule } from './app.module';
import { attachRealtime } from './realtime/realtime.server';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  // The gateway runs on the `ws` platform: an adapter, not a server of its own.
  app.useWebSocketAdapter(new WsAdapter(app));
  attachRealtime(app.getHttpServer());
  await app.listen(process.env.PORT ?? 3000);
}

void bootstrap();
