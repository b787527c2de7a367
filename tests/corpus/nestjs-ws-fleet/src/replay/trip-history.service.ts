import { Injectable } from '@nestjs/common';

@Injectable()
export class TripHistoryService {
  private readonly trips = new Map<string, string[]>();

  append(trip: string, frame: string): void {
    this.trips.set(trip, [...(this.trips.get(trip) ?? []), frame]);
  }

  frames(trip: string): string[] {
    return this.trips.get(trip) ?? [];
  }
}
