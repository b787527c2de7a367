// What the shared widgets may import.
export { GATEWAY_URL as SHARED_URL } from '../config';
