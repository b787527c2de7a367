// Re-exported for older imports.
export { MAP_WS_PATH as BOARD_WS_PATH } from "./config";
