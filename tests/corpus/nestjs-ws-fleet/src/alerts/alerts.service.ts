import { Inject, Injectable } from '@nestjs/common';
import type { Position } from '../tracking/positions.service';

export const ALERT_OPTIONS = Symbol('ALERT_OPTIONS');

export interface AlertOptions {
  speedLimitKmh: number;
}

@Injectable()
export class AlertsService {
  constructor(@Inject(ALERT_OPTIONS) private readonly options: AlertOptions) {}

  speeding(position: Position): boolean {
    return position.speedKmh > this.options.speedLimitKmh;
  }
}
