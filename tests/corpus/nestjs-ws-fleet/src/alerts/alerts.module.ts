import { DynamicModule, Module } from '@nestjs/common';
import { DispatchModule } from '../dispatch/dispatch.module';
import { ALERT_OPTIONS, AlertOptions, AlertsService } from './alerts.service';

@Module({})
export class AlertsModule {
  // Alerts escalate to dispatch, so the dynamic module brings the dispatch module in.
  static register(options: AlertOptions): DynamicModule {
    return {
      module: AlertsModule,
      imports: [DispatchModule],
      providers: [AlertsService, { provide: ALERT_OPTIONS, useValue: options }],
      exports: [AlertsService],
    };
  }
}
