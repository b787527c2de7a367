import { Module, forwardRef } from '@nestjs/common';
import { TrackingModule } from '../tracking/tracking.module';
import { DispatchGateway } from './dispatch.gateway';

@Module({
  imports: [forwardRef(() => TrackingModule)],
  providers: [DispatchGateway],
})
export class DispatchModule {}
