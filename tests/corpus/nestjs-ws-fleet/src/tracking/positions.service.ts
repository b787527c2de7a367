import { Injectable } from '@nestjs/common';

export interface Position {
  vehicle: string;
  lat: number;
  lng: number;
  speedKmh: number;
}

@Injectable()
export class PositionsService {
  private readonly latest = new Map<string, Position>();

  record(position: Position): void {
    this.latest.set(position.vehicle, position);
  }

  all(): Position[] {
    return [...this.latest.values()];
  }
}
