import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/platform/config/config.js';

describe('the payment simulator’s configuration', () => {
  it('runs by default in development and tests, with a secret of its own unless one is set', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).payments.simulator).toEqual({ secret: null });
    expect(loadConfig({ NODE_ENV: 'test', PAYMENT_SIMULATOR_SECRET: 'sixteen-chars-at-least' }).payments.simulator).toEqual({
      secret: 'sixteen-chars-at-least',
    });
    expect(loadConfig({ NODE_ENV: 'development', PAYMENT_SIMULATOR: 'off' }).payments.simulator).toBeNull();
  });

  it('is off in production, and turning it on there stops the process', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).payments.simulator).toBeNull();
    expect(() => loadConfig({ NODE_ENV: 'production', PAYMENT_SIMULATOR: 'on' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production', PAYMENT_SIMULATOR: 'on' })).toThrow(/PAYMENT_SIMULATOR/);
  });

  it('takes the public address providers call back, without a trailing slash', () => {
    expect(loadConfig({ PAYMENT_PUBLIC_URL: 'https://vp.operator.example/' }).payments.publicUrl).toBe('https://vp.operator.example');
    expect(() => loadConfig({ PAYMENT_PUBLIC_URL: 'ftp://x' })).toThrow(ConfigError);
  });
});
