import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { NotificationsService } from './notifications.service';

@Module({
  imports: [EventsModule],
  providers: [NotificationsService],
})
export class NotificationsModule {}
