// Not socket.io: the dashboard's background job queue has a Manager of its own, whose
// socket() hands out a worker slot.
export class Manager {
  constructor(private readonly name: string) {}

  socket(slot: string): string {
    return `${this.name}:${slot}`;
  }
}

const jobs = new Manager('exports');
export const exportSlot = jobs.socket('/exports');
// const legacy = new io.Manager('https://old.example.invalid');
export const docs = 'Create one with new Manager(url, { path }) from socket.io-client.';
