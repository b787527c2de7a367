import { Injectable } from '@nestjs/common';
import { HealthCheckError, HealthIndicator, HealthIndicatorResult } from '@nestjs/terminus';
import NodeWebSocket from 'ws';

/** Probes the gateway by opening a websocket to it, as a client would. */
@Injectable()
export class GatewayHealthIndicator extends HealthIndicator {
  async isHealthy(key: string): Promise<HealthIndicatorResult> {
    const port = process.env.PORT ?? '3000';
    const healthy = await new Promise<boolean>((resolve) => {
      const probe = new NodeWebSocket(`ws://127.0.0.1:${port}/ws`, { handshakeTimeout: 2000 });
      probe.once('open', () => {
        probe.close();
        resolve(true);
      });
      probe.once('error', () => resolve(false));
    });
    const result = this.getStatus(key, healthy);
    if (!healthy) {
      throw new HealthCheckError('gateway unreachable', result);
    }
    return result;
  }
}
