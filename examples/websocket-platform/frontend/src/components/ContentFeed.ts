import { connectGateway, type ChannelMessage } from "../lib/websocket_client";

export function startContentFeed(render: (items: unknown[]) => void): void {
  const items: unknown[] = [];
  connectGateway((message: ChannelMessage) => {
    if (message.channel === "pillar:content") {
      items.push(message.payload);
      render(items);
    }
  });
}
