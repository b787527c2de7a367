import { Module } from '@nestjs/common';
import { NotificationsGateway } from './notifications.gateway';
import { NOTIFIER, NotificationsService } from './notifications.service';

@Module({
  providers: [NotificationsGateway, { provide: NOTIFIER, useClass: NotificationsService }],
  exports: [NOTIFIER],
})
export class NotificationsModule {}
