import { Module } from '@nestjs/common';
import { ReplayGateway } from './replay.gateway';
import { TripHistoryService } from './trip-history.service';

@Module({
  providers: [ReplayGateway, TripHistoryService],
  exports: [TripHistoryService],
})
export class ReplayModule {}
