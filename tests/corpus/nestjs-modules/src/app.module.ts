import { Module } from '@nestjs/common';
import { ChatModule } from './chat/chat.module';
import { NotificationsModule } from './notifications/notifications.module';
import { PresenceModule } from './presence/presence.module';

@Module({
  imports: [ChatModule, NotificationsModule, PresenceModule],
})
export class AppModule {}
