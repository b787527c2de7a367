// Test cases for routing.yaml's NestJS pieces (TypeScript).
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { WsAdapter } from '@nestjs/platform-ws';
import { WebSocketGateway } from '@nestjs/websockets';
import fp from 'fastify-plugin';
import { Server } from 'socket.io';
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

// --- js-route-include: Elysia `use`/`group`, chains, namespace members, fastify-plugin ----------

// ruleid: js-route-include
new Elysia({ prefix: '/api' }).use(rooms).listen(3000);
// ruleid: js-route-include
elysia.group('/v1', { beforeHandle: auth }, (app) => app.use(presence));
// ruleid: js-route-include
elysia.use(new Elysia({ prefix: '/inline' }).ws('/i', { message() {} }));
// ok: js-route-include
elysia.use(cors());
// ruleid: js-route-include
honoRoot.basePath('/v2').route('/chat', chat);
// ruleid: js-route-include
legacy.use('/ops', alerts.router);
// ruleid: js-route-include
fastifyApp.register(fp(tickerRoutes), { prefix: '/ticker' });

// --- js-route-base: names given an instance whose chain may set a prefix ----------------------

// ruleid: js-route-base, js-route-include
const chatApi = new Elysia({ prefix: '/chat' }).use(rooms);
// ruleid: js-route-base
export const edge = new Hono<{ Bindings: Env }>().basePath('/edge');
// ruleid: js-route-base
const v3 = honoRoot.basePath('/v3');
// ruleid: js-route-base
const koaRouter = new Router({ prefix: '/koa' });
// ok: js-route-base
const plainHono = new Hono();
// a name given what `use` returns (the same instance) sets no prefix
// ruleid: js-route-include
const mounted = elysia.use(rooms);

// --- js-plugin-wrap: plugins wrapped by fastify-plugin (not encapsulated) ------------------------

// ruleid: js-plugin-wrap
export const metricsPlugin = fp(async (app) => {
  app.get('/live', { websocket: true }, (socket) => socket.send('{}'));
});
// ruleid: js-plugin-wrap
export default fp(liveRoutes, { name: 'live' });
// ok: js-plugin-wrap
const guarded = wrap(liveRoutes);

// --- js-socketio-path: a socket.io server's path set after it is created ------------------------

const realtime = new Server();
// ruleid: js-socketio-path
realtime.attach(httpServer, { path: '/rt', cors: { origin: '*' } });
// ruleid: js-socketio-path
realtime.listen(3000, socketOptions);
// ruleid: js-socketio-path
realtime.path('/realtime');
// ok: js-socketio-path
realtime.attach(httpServer, { cors: { origin: '*' } });
// ok: js-socketio-path
realtime.path();

// --- js-route-include: Hono/Elysia mounts of another app's handler ------------------------------

// ruleid: js-route-include
honoRoot.mount('/legacy', legacyApp.fetch);
// ruleid: js-route-include
honoRoot.all('/itty/*', mount(ittyApp.fetch));
// ok: js-route-include
honoRoot.all('/health', (c) => c.text('ok'));
// ruleid: js-route-include
elysia.guard({ beforeHandle: auth }, (app) => app.ws('/guarded', { message() {} }));
// ok: js-route-include
elysia.guard({ beforeHandle: auth });
