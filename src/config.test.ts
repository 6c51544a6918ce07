import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './config.ts';

const KEY = Buffer.alloc(32, 7).toString('base64');

describe('config', () => {
  it('uses safe development defaults and says which', () => {
    const c = loadConfig({});
    assert.equal(c.port, 3000);
    assert.equal(c.dataDir, './data');
    assert.deepEqual([...c.insecureDefaults].sort(), ['MASTER_KEYS', 'SESSION_SECRET']);
    assert.ok(Object.isFrozen(c));
  });

  it('stops production start-up naming each missing secret', () => {
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production' }),
      (e: unknown) => e instanceof ConfigError && /SESSION_SECRET/.test(e.message) && /MASTER_KEYS/.test(e.message) && /BASE_URL/.test(e.message),
    );
    const ok = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), MASTER_KEYS: KEY, BASE_URL: 'https://lookout.example.org' });
    assert.equal(ok.production, true);
    assert.deepEqual(ok.insecureDefaults, []);
  });

  it('names the variable that is invalid', () => {
    assert.throws(() => loadConfig({ PORT: 'eighty' }), /PORT/);
    assert.throws(() => loadConfig({ MASTER_KEYS: 'c2hvcnQ=' }), /MASTER_KEYS: key 1 must be 32 bytes/);
    assert.throws(() => loadConfig({ SESSION_SECRET: 'short' }), /SESSION_SECRET/);
  });
});
