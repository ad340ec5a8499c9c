// Each web test file: a clean queue prefix as in e2e, and a longer timeout for browser flows.
import '../setup-after-env';

// a project's own `testTimeout` in jest.config.js is not read by Jest (only the root's is)
jest.setTimeout(60_000);
