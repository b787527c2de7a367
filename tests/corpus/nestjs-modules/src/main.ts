import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { RedisIoAdapter } from './common/redis-io.adapter';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  // HTTP routes live under /api; gateways are not HTTP routes and keep their own paths.
  app.setGlobalPrefix('api');
  const redisIoAdapter = new RedisIoAdapter(app);
  await redisIoAdapter.connectToRedis(process.env.REDIS_URL ?? 'redis://localhost:6379');
  app.useWebSocketAdapter(redisIoAdapter);
  await app.listen(Number(process.env.PORT ?? 3000));
}

void bootstrap();
