import { Module } from '@nestjs/common';
import { ChannelRegistry } from './channel.registry';
import { EventsGateway } from './events.gateway';

@Module({
  providers: [EventsGateway, ChannelRegistry],
  exports: [ChannelRegistry],
})
export class EventsModule {}
