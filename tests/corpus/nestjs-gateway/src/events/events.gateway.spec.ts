// Excluded by the pack (`**/*.spec.ts`): the e2e test connects like a client would.
import { Test } from '@nestjs/testing';
import { WsAdapter } from '@nestjs/platform-ws';
import WebSocket from 'ws';
import { EventsModule } from './events.module';

describe('EventsGateway', () => {
  it('accepts subscriptions on /ws', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [EventsModule] }).compile();
    const app = moduleRef.createNestApplication();
    app.useWebSocketAdapter(new WsAdapter(app));
    await app.listen(0);
    const { port } = app.getHttpServer().address();
    const client = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    await new Promise((resolve) => client.once('open', resolve));
    client.send(JSON.stringify({ event: 'subscribe', data: { channel: 'guide' } }));
    client.close();
    await app.close();
  });
});
