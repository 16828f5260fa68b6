import { describe, expect, it } from 'vitest';
import { createAjv } from '../../monitor/registry/ajv.js';
import {
  CALIBRATION_DEFAULTS,
  CALIBRATION_MONITOR_SCHEMA,
  readCalibrationMonitor,
} from './calibration-config.js';

const REQUIRED = { prediction: '/intent', confidence: '/intent_confidence', labels: 'intent.label' };

describe('monitors.calibration', () => {
  it('fills every default but the prediction, its confidence and the label contract', () => {
    const read = readCalibrationMonitor(REQUIRED);
    expect(read.ok && read.config).toEqual({
      ...REQUIRED,
      labelKey: '/message_id',
      labelValue: '/intent',
      labelTtlMs: 72 * 3_600_000,
      model: '/model_version',
      bins: 10,
      binning: 'uniform',
      maxEce: 0.1,
      eceDelta: 0.05,
      bootstrap: { resamples: 1000, alpha: 0.05 },
      reference: 'previous_window',
      baseline: null,
      windowMs: CALIBRATION_DEFAULTS.window_minutes * 60_000,
      subWindowMs: CALIBRATION_DEFAULTS.sub_window_minutes * 60_000,
      consecutive: { k: 2, n: 3 },
      minLabels: 200,
      maxIntents: 20,
      maxPending: 1_000_000,
    });
  });

  it('takes every key the contract gives', () => {
    const read = readCalibrationMonitor({
      ...REQUIRED,
      label_key: '/ref',
      label_value: '/truth',
      label_ttl_hours: 24,
      model: '/model',
      bins: 15,
      binning: 'quantile',
      max_ece: 0.08,
      ece_delta: 0.03,
      bootstrap: { resamples: 500 },
      reference: 'baseline',
      baseline: { from: '2026-01-01T00:00:00Z', to: '2026-01-08T00:00:00Z' },
      window_minutes: 120,
      sub_window_minutes: 10,
      consecutive: { k: 3, n: 5 },
      min_labels: 500,
      max_intents: 5,
      max_pending: 50_000,
    });
    expect(read.ok && read.config).toMatchObject({
      labelKey: '/ref',
      labelTtlMs: 24 * 3_600_000,
      binning: 'quantile',
      bootstrap: { resamples: 500, alpha: 0.05 },
      baseline: { fromMs: Date.parse('2026-01-01T00:00:00Z'), toMs: Date.parse('2026-01-08T00:00:00Z') },
      windowMs: 7_200_000,
      subWindowMs: 600_000,
      consecutive: { k: 3, n: 5 },
      maxPending: 50_000,
    });
  });

  it('refuses what the schema cannot say, naming the key', () => {
    const error = (extra: Record<string, unknown>) => {
      const read = readCalibrationMonitor({ ...REQUIRED, ...extra });
      return read.ok ? null : read.error;
    };
    expect(error({ window_minutes: 60, sub_window_minutes: 7 })).toMatch(/window_minutes/);
    expect(error({ consecutive: { k: 4, n: 3 } })).toMatch(/consecutive\.k/);
    expect(error({ baseline: { from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' } })).toMatch(
      /baseline\.to/,
    );
    expect(error({ baseline: { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' } })).toMatch(
      /reference is not baseline/,
    );
    expect(error({ confidence: '/intent' })).toMatch(/prediction and confidence/);
  });

  it('has a schema that takes the shipped section and refuses bad keys by path', () => {
    const validate = createAjv().compile(CALIBRATION_MONITOR_SCHEMA);
    expect(validate(REQUIRED)).toBe(true);
    expect(validate({ ...REQUIRED, binning: 'isotonic' })).toBe(false);
    expect(validate.errors?.[0]?.instancePath).toBe('/binning');
    expect(validate({ ...REQUIRED, labels: 'Intent Label' })).toBe(false);
    expect(validate({ prediction: '/intent', labels: 'intent.label' })).toBe(false);
    expect(validate({ ...REQUIRED, ece_delta: 0 })).toBe(false);
    expect(validate({ ...REQUIRED, unknown_key: 1 })).toBe(false);
  });
});
