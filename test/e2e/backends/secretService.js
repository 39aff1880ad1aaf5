// A throwaway Secret Service for one e2e run: a private D-Bus session bus (its socket in DIR) and an unlocked
// gnome-keyring on it, both stopped by stop(). Debian's dbus and gnome-keyring; secret-tool talks to it.
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const DBUS_DAEMON = '/usr/bin/dbus-daemon';
const KEYRING_DAEMON = '/usr/bin/gnome-keyring-daemon';
const SECRET_TOOL = '/usr/bin/secret-tool';

function missingSecretServiceTools() {
  return [DBUS_DAEMON, KEYRING_DAEMON, SECRET_TOOL].filter((tool) => !fs.existsSync(tool));
}

/** Starts the bus and the keyring; resolves with the env a client needs and stop(). */
async function startSecretService(dir) {
  const home = path.join(dir, 'home');
  const runtime = path.join(dir, 'run');
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  fs.mkdirSync(runtime, { recursive: true, mode: 0o700 });
  const address = `unix:path=${path.join(runtime, 'bus')}`;
  const baseEnv = {
    PATH: '/usr/bin:/bin',
    HOME: home,
    XDG_RUNTIME_DIR: runtime,
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CONFIG_HOME: path.join(home, '.config'),
  };
  const bus = spawn(
    DBUS_DAEMON,
    ['--session', '--nofork', '--nopidfile', `--address=${address}`, '--print-address=1'],
    {
      env: baseEnv,
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('dbus-daemon did not start within 10 s')), 10_000);
    bus.stdout.once('data', () => {
      clearTimeout(timer);
      resolve();
    });
    bus.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`dbus-daemon exited with ${code}`));
    });
  });
  const env = { ...baseEnv, DBUS_SESSION_BUS_ADDRESS: address };
  // --unlock reads the login password on stdin, creates the login keyring with it and unlocks it; the daemon
  // forks and lives on the bus until the bus goes away.
  execFileSync(KEYRING_DAEMON, ['--unlock', '--components=secrets'], {
    env,
    input: 'e2e-keyring-login',
    timeout: 15_000,
  });
  const clientEnv = { DBUS_SESSION_BUS_ADDRESS: address };
  return {
    env: clientEnv,
    lookup(attributes) {
      const args = ['lookup'];
      for (const [k, v] of Object.entries(attributes)) args.push(k, v);
      return execFileSync(SECRET_TOOL, args, { env, timeout: 15_000 }).toString('utf8');
    },
    async stop() {
      if (bus.exitCode !== null || bus.signalCode !== null) return;
      const exited = new Promise((resolve) => bus.once('exit', resolve));
      bus.kill('SIGTERM');
      await exited;
    },
  };
}

module.exports = { startSecretService, missingSecretServiceTools };
