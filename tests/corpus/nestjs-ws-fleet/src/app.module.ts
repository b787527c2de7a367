import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AlertsModule } from './alerts/alerts.module';
import { HealthController } from './health.controller';
import { TrackingModule } from './tracking/tracking.module';

// ReplayModule is not imported yet: trip replay ships with the next release.
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true }),
    TrackingModule,
    AlertsModule.register({ speedLimitKmh: 90 }),
  ],
  controllers: [HealthController],
})
export class AppModule {}
