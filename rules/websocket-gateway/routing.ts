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
  // ruleid: nest-app-root
  const app = await NestFactory.create(AppModule);
  // ruleid: nest-websocket-adapter
  app.useWebSocketAdapter(new WsAdapter(app));
  // ok: nest-websocket-adapter
  app.setGlobalPrefix('api');
  await app.listen(3000);
}

async function bootstrapRedis(): Promise<void> {
  // ruleid: nest-app-root
  const app = await NestFactory.create<NestExpressApplication>(AppModule);
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

// ok: nest-module-provider
@Module({ providers: [] })
export class EmptyModule {}

@Module({
  // ruleid: nest-module-provider
  providers: GATEWAYS,
})
export class SpreadModule {}

// --- nest-import -----------------------------------------------------------------------------

@Module({
  imports: [
    // ruleid: nest-module-import
    ChatModule,
    // ruleid: nest-module-import
    ConfigModule.forRoot({ isGlobal: true }),
    // ruleid: nest-module-import
    forwardRef(() => UsersModule),
    // ruleid: nest-module-import
    ...featureModules,
  ],
  // ok: nest-module-import
  controllers: [AppController],
  // ok: nest-module-import
  exports: [ChatModule],
})
export class AppModule2 {}

@Module({
  // ruleid: nest-module-import
  imports: FEATURES,
})
export class FeaturesModule {}

// ok: nest-module-import
const imports = [ChatModule];

// a dynamic module adds what its static method lists
@Module({})
export class AlertsModule {
  static register(options: AlertOptions): DynamicModule {
    return {
      module: AlertsModule,
      // ruleid: nest-module-import
      imports: [ReplayModule],
      // ruleid: nest-module-provider
      providers: [AlertsGateway, { provide: ALERT_OPTIONS, useValue: options }],
      // ok: nest-module-provider
      exports: [AlertsService],
    };
  }

  static forFeature(extra: Provider[]): DynamicModule {
    // ruleid: nest-module-provider
    const dynamic = { module: AlertsModule, providers: extra };
    return dynamic;
  }

  // ok: nest-module-provider
  static options(): object {
    return { providers: [AlertsService] };
  }
}

// --- nest-root -------------------------------------------------------------------------------

async function bootstrapMicroservice(): Promise<void> {
  // ruleid: nest-app-root
  const app = await NestFactory.createMicroservice(WorkerModule, { transport: Transport.TCP });
  // ruleid: nest-app-root
  const other = NestFactory.create<NestFastifyApplication>(AdminModule, new FastifyAdapter());
  await app.listen();
}

async function runScript(): Promise<void> {
  // ok: nest-app-root
  const context = await NestFactory.createApplicationContext(ScriptModule);
  await context.close();
}

// --- js-route-include: Fastify plugins, Express routers, Hono sub-apps ----------------------

async function buildApi(app: FastifyInstance, chat: Hono, hono: Hono): Promise<void> {
  // ruleid: js-route-include
  await app.register(liveRoutes, { prefix: '/live' });
  // ruleid: js-route-include
  await app.register(websocket);
  // ruleid: js-route-include
  await app.register(
    async (scoped) => {
      // ruleid: js-route-include
      scoped.register(adminRoutes, { prefix: '/admin' });
    },
    { prefix: '/api/v1' },
  );
  // ruleid: js-route-include
  hono.route('/chat', chat);
}

const legacy = express();
// ruleid: js-route-include
legacy.use('/legacy', requireAuth, feeds);
// ruleid: js-route-include
legacy.use(feeds);
// ok: js-route-include
legacy.use(express.json());
// ok: js-route-include
legacy.route('/quotes');
