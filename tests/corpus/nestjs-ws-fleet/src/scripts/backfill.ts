import { NestFactory } from '@nestjs/core';
import { TripHistoryService } from '../replay/trip-history.service';
import { BackfillModule } from './backfill.module';

// A one-off script: a standalone application context starts no server, so no gateway of the
// modules it loads is served.
async function backfill(): Promise<void> {
  const context = await NestFactory.createApplicationContext(BackfillModule);
  context.get(TripHistoryService).append('seed', '{}');
  await context.close();
}

void backfill();
