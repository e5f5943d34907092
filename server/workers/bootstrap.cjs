/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS file: require is how it loads tsx before any TypeScript */
// Worker threads start here: Next bundles route handlers, so the worker's TypeScript is run
// from source through tsx's CommonJS register (tsconfig paths resolve; `--conditions=react-server`
// comes from the Worker's execArgv, for `server-only`). The entry is in workerData.
const { workerData } = require("node:worker_threads");
require("tsx/cjs/api").register();
require(workerData.entry);
