// Test cases for constants.yaml (semgrep --test).

// ruleid: js-module-constant
export const WS_PATH = "/live";
// ruleid: js-module-constant
export const METRICS_PATH: string = process.env.METRICS_PATH ?? "/metrics";
// ok: js-module-constant
const LOCAL_PATH = "/local";
// ok: js-module-constant
export let mutablePath = "/mutable";
// ok: js-module-constant
export { LOCAL_PATH as OTHER_PATH } from "./elsewhere";

export function path(): string {
  // ok: js-module-constant
  const inner = "/inner";
  return inner;
}

// ruleid: js-module-default-export
export default LOCAL_PATH;
