// Generated from fleet/settings.py at build time; edit the settings, not this file.
export const MAP_WS_PATH = "/map/live";
export const PORT = Number(process.env.PORT ?? 8090);
export const METRICS_WS_PATH = process.env.METRICS_WS_PATH ?? "/metrics/live";
