export interface GatewayConfig {
  port: number;
  path: string;
}

export const config: GatewayConfig = {
  port: Number(process.env.PORT ?? 8080),
  path: process.env.WS_PATH ?? "/ws",
};
