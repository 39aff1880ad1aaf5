// Preloaded into the Node processes of one e2e run: records the real LSP traffic between the extension and our
// language server (every message both ways) in OPENCLAW_E2E_LSP_TAP, so the test can scan it for the canary.
// It taps the client's end: the extension host forks dist/server.js and talks to it over the IPC channel.
// VS Code >= 1.10x strips NODE_OPTIONS from the extension host's env but forks it with the server's execArgv,
// so each process that loads this also puts it in its own execArgv for the Node children it forks.
'use strict';
const tapFile = process.env.OPENCLAW_E2E_LSP_TAP;
if (tapFile) {
  const fs = require('node:fs');
  const childProcess = require('node:child_process');
  const preload = `--require=${__filename}`;
  if (!process.execArgv.includes(preload)) process.execArgv.push(preload);
  const SERVER_MODULE = /[\\/]dist[\\/]server\.js$/;
  const record = (fd, direction, message) => {
    try {
      fs.writeSync(fd, `${JSON.stringify({ direction, message })}\n`);
    } catch {
      /* the tap never breaks the connection */
    }
  };
  const fork = childProcess.fork;
  childProcess.fork = function tappedFork(modulePath, ...rest) {
    const child = fork.call(this, modulePath, ...rest);
    if (typeof modulePath === 'string' && SERVER_MODULE.test(modulePath)) {
      const fd = fs.openSync(tapFile, 'a', 0o600);
      const send = child.send.bind(child);
      child.send = (message, ...args) => {
        record(fd, 'client->server', message);
        return send(message, ...args);
      };
      child.prependListener('message', (message) => record(fd, 'server->client', message));
      child.once('exit', () => fs.closeSync(fd));
    }
    return child;
  };
}
