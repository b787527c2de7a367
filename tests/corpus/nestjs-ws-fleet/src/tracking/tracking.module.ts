import { Module } from '@nestjs/common';
import { PositionsService } from './positions.service';
import { TrackingGateway } from './tracking.gateway';

@Module({
  providers: [TrackingGateway, PositionsService],
  exports: [PositionsService],
})
export class TrackingModule {}
