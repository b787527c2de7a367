// The blotter's stream, kept apart so that the blotter bundle does not pull in the config.
const BLOTTER_URL = 'wss://desk.example.invalid/blotter';

export default BLOTTER_URL;
