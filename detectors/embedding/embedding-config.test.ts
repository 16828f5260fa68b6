import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createAjv } from '../../monitor/registry/ajv.js';
import { EMBEDDING_MONITOR_SCHEMA, readEmbeddingMonitor } from './embedding-config.js';

const validate = createAjv().compile(EMBEDDING_MONITOR_SCHEMA);

describe('monitors.embedding_drift', () => {
  it('fills every default but the attribute', () => {
    const read = readEmbeddingMonitor({ attribute: '/embedding' });
    expect(read.ok && read.config).toEqual({
      attribute: '/embedding',
      reference: 'previous_window',
      baseline: null,
      windowMs: 3_600_000,
      subWindowMs: 300_000,
      minSamples: 200,
      reservoir: 500,
      permutations: 200,
      alpha: 0.01,
      thresholds: { cosineDistance: 0.05, driftedShare: 0.2, component: 0.1 },
      consecutive: { k: 2, n: 3 },
      seed: 0,
    });
  });

  it("reads the section of conversation.message 1.1.0's contract", () => {
    const text = readFileSync(
      new URL('../../contracts/conversation.message/1.1.0.yaml', import.meta.url),
      'utf8',
    );
    const section = parse(text).monitors.embedding_drift;
    expect(validate(section)).toBe(true);
    expect(readEmbeddingMonitor(section)).toMatchObject({ ok: true, config: { attribute: '/embedding' } });
  });

  it('takes every key the schema allows', () => {
    const section = {
      attribute: '/features/embedding',
      reference: 'baseline',
      baseline: { from: '2026-01-01T00:00:00Z', to: '2026-01-08T00:00:00Z' },
      window_minutes: 30,
      sub_window_minutes: 1,
      min_samples: 50,
      reservoir: 300,
      permutations: 500,
      alpha: 0.005,
      cosine_threshold: 0.1,
      drifted_share_threshold: 0.3,
      component_threshold: 0.2,
      consecutive: { k: 1, n: 1 },
      seed: 42,
    };
    expect(validate(section)).toBe(true);
    const read = readEmbeddingMonitor(section);
    expect(read.ok && read.config).toMatchObject({
      baseline: { fromMs: Date.parse('2026-01-01T00:00:00Z'), toMs: Date.parse('2026-01-08T00:00:00Z') },
      windowMs: 1_800_000,
      subWindowMs: 60_000,
      thresholds: { cosineDistance: 0.1, driftedShare: 0.3, component: 0.2 },
      seed: 42,
    });
  });

  it('has a schema that names the bad key', () => {
    expect(validate({})).toBe(false);
    expect(validate({ attribute: 'embedding' })).toBe(false);
    expect(validate({ attribute: '/e', reservoir: 5000 })).toBe(false);
    expect(validate.errors?.[0]?.instancePath).toBe('/reservoir');
    expect(validate({ attribute: '/e', threshold: 0.1 })).toBe(false);
  });

  it('refuses what the schema cannot say, naming the key', () => {
    const error = (section: Record<string, unknown>) => {
      const read = readEmbeddingMonitor({ attribute: '/e', ...section });
      return read.ok ? null : read.error;
    };
    expect(error({ window_minutes: 60, sub_window_minutes: 7 })).toMatch(/whole number/);
    // Each sub-window holds a sample of vectors: a week of 1-minute sub-windows would not fit.
    expect(error({ window_minutes: 10_080, sub_window_minutes: 1 })).toMatch(/at most 60/);
    expect(error({ consecutive: { k: 3, n: 2 } })).toMatch(/consecutive\.k/);
    expect(error({ permutations: 99 })).toMatch(/permutations must exceed 99/);
    expect(error({ permutations: 100 })).toBeNull();
    expect(
      error({
        reference: 'baseline',
        baseline: { from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' },
      }),
    ).toMatch(/baseline\.to/);
    expect(error({ baseline: { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' } })).toMatch(
      /reference is not baseline/,
    );
  });
});
