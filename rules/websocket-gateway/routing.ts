// Test cases for routing.yaml's NestJS pieces (TypeScript).
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { WsAdapter } from '@nestjs/platform-ws';
import { WebSocketGateway } from '@nestjs/websockets';
import { AppModule } from './app.module';
import { ChatGateway } from './chat.gateway';
import { ChatService } from './chat.service';

// --- nest-adapter ---------------------------------------------------------------------------

async function bootstrapWs(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  // ruleid: nest-websocket-adapter
  app.useWebSocketAdapter(new WsAdapter(app));
  // ok: nest-websocket-adapter
  app.setGlobalPrefix('api');
  await app.listen(3000);
}

async function bootstrapRedis(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  const redisIoAdapter = new RedisIoAdapter(app);
  await redisIoAdapter.connectToRedis();
  // ruleid: nest-websocket-adapter
  app.useWebSocketAdapter(redisIoAdapter);
  await app.listen(3000);
}

export function useAdapter(app: any, adapter: any): void {
  // ruleid: nest-websocket-adapter
  app.useWebSocketAdapter(adapter);
}

// --- class-extends ----------------------------------------------------------------------------

// ruleid: nest-class-extends
export class RedisIoAdapter extends IoAdapter {
  async connectToRedis(): Promise<void> {}
}

@WebSocketGateway({ namespace: 'base' })
export abstract class BaseGateway {}

// ruleid: nest-class-extends
export class TenantGateway extends BaseGateway {}

// ok: nest-class-extends
export class ChatError extends Error {}

// --- nest-provider ---------------------------------------------------------------------------

@Module({
  imports: [],
  providers: [
    // ruleid: nest-module-provider
    ChatGateway,
    // ruleid: nest-module-provider
    ChatService,
    // ruleid: nest-module-provider
    { provide: 'GATEWAY', useClass: TenantGateway },
  ],
  // ok: nest-module-provider
  exports: [ChatService],
})
export class ChatModule {}

// ok: nest-module-provider
const providers = [ChatGateway];
