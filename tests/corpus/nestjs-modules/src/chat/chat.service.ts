import { Injectable } from '@nestjs/common';

@Injectable()
export class ChatService {
  private readonly history = new Map<string, string[]>();

  record(ticket: string, body: string): void {
    this.history.set(ticket, [...(this.history.get(ticket) ?? []), body]);
  }
}
