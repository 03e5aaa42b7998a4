#!/usr/bin/env node
// `npm start`. It will run `foresight demo` (an agent session against the embedded
// server) once the demo exists; until then it says so instead of pretending.
console.error(
  'npm start will run the Foresight demo, which is not built yet. ' +
    'For now the project has its wire contract (proto/) and its test suite: run `npm test`.',
);
process.exit(1);
