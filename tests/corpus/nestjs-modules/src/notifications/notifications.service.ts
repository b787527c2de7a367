import { Injectable } from '@nestjs/common';

export const NOTIFIER = Symbol('NOTIFIER');

@Injectable()
export class NotificationsService {
  format(kind: string, ticket: string): string {
    return `${kind}: ${ticket}`;
  }
}
