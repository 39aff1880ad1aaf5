// Preloaded (NODE_OPTIONS=--require) into the Node processes of one e2e run; acts only in our language server
// (dist/server.js over IPC): appends every LSP message it receives and sends to OPENCLAW_E2E_LSP_TAP, so the
// test can scan the real traffic for the canary. The trace setting logs message names only, never parameters.
'use strict';
const tapFile = process.env.OPENCLAW_E2E_LSP_TAP;
const entry = process.argv[1] || '';
if (tapFile && /[\\/]dist[\\/]server\.js$/.test(entry) && typeof process.send === 'function') {
  const fs = require('node:fs');
  const fd = fs.openSync(tapFile, 'a', 0o600);
  const record = (direction, message) => {
    try {
      fs.writeSync(fd, `${JSON.stringify({ direction, message })}\n`);
    } catch {
      /* the tap never breaks the server */
    }
  };
  const send = process.send.bind(process);
  process.send = (message, ...rest) => {
    record('server->client', message);
    return send(message, ...rest);
  };
  process.prependListener('message', (message) => record('client->server', message));
}
