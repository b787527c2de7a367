import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { GatewayHealthIndicator } from './gateway.health';

@Module({
  imports: [TerminusModule],
  providers: [GatewayHealthIndicator],
  exports: [GatewayHealthIndicator],
})
export class HealthModule {}
