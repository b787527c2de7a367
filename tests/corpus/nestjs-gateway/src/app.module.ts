import { Module } from '@nestjs/common';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { NotificationsModule } from './notifications/notifications.module';

@Module({
  imports: [EventsModule, NotificationsModule, HealthModule],
})
export class AppModule {}
