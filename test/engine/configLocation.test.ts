import { test } from 'node:test';
import assert from 'node:assert/strict';
import { locateConfig, locationForConfigFile, expandHome } from '../../server/src/engine/config/configLocation';

test('OPENCLAW_CONFIG_PATH wins; state dir from OPENCLAW_STATE_DIR', () => {
  const loc = locateConfig({
    OPENCLAW_CONFIG_PATH: '/etc/oc/cfg.json',
    OPENCLAW_STATE_DIR: '/var/oc',
    HOME: '/home/u',
  });
  assert.deepEqual(loc, { configPath: '/etc/oc/cfg.json', stateDir: '/var/oc', configDir: '/etc/oc' });
});

test('OPENCLAW_HOME, then HOME, give ~/.openclaw/openclaw.json', () => {
  assert.equal(locateConfig({ OPENCLAW_HOME: '/oh', HOME: '/home/u' }).configPath, '/oh/.openclaw/openclaw.json');
  assert.equal(locateConfig({ HOME: '/home/u' }).configPath, '/home/u/.openclaw/openclaw.json');
  assert.equal(locateConfig({ HOME: '/home/u', OPENCLAW_STATE_DIR: '~/state' }).stateDir, '/home/u/state');
});

test('a config opened from an editor resolves relative to its own folder', () => {
  assert.deepEqual(locationForConfigFile('/ws/proj/openclaw.json', { HOME: '/home/u' }), {
    configPath: '/ws/proj/openclaw.json',
    stateDir: '/ws/proj',
    configDir: '/ws/proj',
  });
  assert.equal(
    locationForConfigFile('/home/u/.openclaw/openclaw.json', { HOME: '/home/u' }).stateDir,
    '/home/u/.openclaw',
  );
  assert.equal(expandHome('~/x', { HOME: '/h' }), '/h/x');
});
