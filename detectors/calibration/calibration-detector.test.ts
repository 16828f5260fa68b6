import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../monitor/pipeline/envelope.js';
import { parseContractText } from '../../monitor/registry/parse-contract.js';
import type { ResolvedContract } from '../../monitor/registry/registry.js';
import type { InspectContext } from '../detector.js';
import { type Random, seededRandom } from '../stats/seeded-random.js';
import { type CalibrationDetector, createCalibrationDetector } from './calibration-detector.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.parse('2026-03-02T09:00:00Z');

function resolved(text: string): ResolvedContract {
  return { contract: parseContractText(text), validate: (() => true) as never, declared: new Set() };
}

const messages = (section: string) =>
  resolved(`
contract: conversation.message
version: 1.1.0
status: active
owner: team@example.com
schema: { type: object }
monitors:
  calibration: ${section}
`);

const LABELS = resolved(`
contract: intent.label
version: 1.1.0
status: active
owner: team@example.com
schema: { type: object }
`);

const BASE =
  'prediction: /intent, confidence: /intent_confidence, labels: intent.label, window_minutes: 60, sub_window_minutes: 10, label_ttl_hours: 2, bootstrap: { resamples: 500 }';

function ctx(rc: ResolvedContract, eventId: string, ms: number): InspectContext {
  const envelope = {
    event_id: eventId,
    occurred_ms: ms,
    occurred_at: new Date(ms).toISOString(),
  } as Envelope;
  return { envelope, contract: rc, validationErrors: null, mode: 'observe', now: new Date(ms) };
}

const INTENTS = ['refund_status', 'billing_question', 'cancel_order', 'greeting'];

interface Traffic {
  /** Subtracted from the chance of being right: 0 is a calibrated model, 0.25 an over-confident one. */
  overConfidence?: number;
  model?: string;
  /** Label event time after its prediction. */
  labelDelayMs?: number;
  intents?: readonly string[];
}

/** `n` predictions spread over an hour from `from`, then their labels. */
function hour(
  d: CalibrationDetector,
  rc: ResolvedContract,
  r: Random,
  from: number,
  n: number,
  prefix: string,
  t: Traffic = {},
): void {
  const intents = t.intents ?? INTENTS;
  const labels: Array<[string, string, number]> = [];
  for (let i = 0; i < n; i++) {
    const ms = from + Math.floor((i * HOUR) / n);
    const intent = intents[Math.floor(r() * intents.length)]!;
    const confidence = 0.5 + 0.5 * r();
    const correct = r() < confidence - (t.overConfidence ?? 0);
    const id = `${prefix}-${i}`;
    d.inspect!(
      { event_id: id, intent, intent_confidence: confidence, ...(t.model ? { model_version: t.model } : {}) },
      ctx(rc, id, ms),
    );
    labels.push([id, correct ? intent : intent === 'greeting' ? 'refund_status' : 'greeting', ms]);
  }
  for (const [id, intent, ms] of labels) label(d, id, intent, ms + (t.labelDelayMs ?? 5 * MIN));
}

function label(d: CalibrationDetector, messageId: string, intent: string, ms: number): void {
  const id = `label-${messageId}`;
  d.inspect!({ event_id: id, message_id: messageId, intent }, ctx(LABELS, id, ms));
}

const endOf = (w: number) => new Date(T0 + (w + 1) * HOUR - 1);

describe('calibration detector', () => {
  it('stays quiet for a well calibrated model, with its statistics and expected accuracy', () => {
    const rc = messages(`{ ${BASE} }`);
    const d = createCalibrationDetector();
    const r = seededRandom(1);
    for (let w = 0; w < 5; w++) {
      hour(d, rc, r, T0 + w * HOUR, 800, `w${w}`);
      expect(d.evaluate!(endOf(w))).toEqual([]);
    }
    expect(d.states().map((s) => [s.model, s.state])).toEqual([['default', 'stable']]);
    const reading = d.readings()[0]!;
    expect(reading).toMatchObject({
      contract: 'conversation.message',
      attribute: '/intent',
      predictions: 800,
      labelled: 800,
      unlabelled: 0,
      judged: true,
      drifted: false,
      firing: false,
      triggers: [],
    });
    expect(reading.ece!).toBeLessThan(0.06);
    expect(reading.expectedAccuracy!).toBeCloseTo(0.75, 1);
    expect(reading.accuracy!).toBeCloseTo(0.75, 1);
    expect(reading.eceDelta!.exceeds).toBe(false);
    expect(reading.diagram.length).toBe(5);
    expect(reading.intents.map((i) => i.intent).sort()).toEqual([...INTENTS].sort());
    expect(reading.explanation).toMatch(/Calibration holds\.$/);
  });

  it('reports a rise of ECE over the reference once k of n windows show it, once per window length', () => {
    const rc = messages(`{ ${BASE}, reference: baseline, max_ece: 0.5, ece_delta: 0.05 }`);
    const d = createCalibrationDetector();
    const r = seededRandom(2);
    hour(d, rc, r, T0, 800, 'w0');
    expect(d.evaluate!(endOf(0))).toEqual([]);
    // The baseline (the first hour) is not over until the first hour is.
    expect(d.readings()[0]!.reference).toBeNull();
    const over = { overConfidence: 0.25, intents: [...INTENTS, 'jane.doe@example.com'] };
    hour(d, rc, r, T0 + HOUR, 800, 'w1', over);
    expect(d.evaluate!(endOf(1))).toEqual([]);
    expect(d.states()[0]!.state).toBe('drifting');
    hour(d, rc, r, T0 + 2 * HOUR, 800, 'w2', over);
    const findings = d.evaluate!(endOf(2));
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(f).toMatchObject({
      detector: 'calibration',
      kind: 'calibration_drift',
      severity: 'warning',
      contract: 'conversation.message',
      version: '1.1.0',
      attribute: '/intent',
      occurred_at: new Date(T0 + 2 * HOUR).toISOString(),
    });
    const e = f.evidence as {
      triggers: string[];
      ece_delta: { lower: number; threshold: number; exceeds: boolean };
      reference: { kind: string };
      intents: Array<{ intent: string }>;
      labelled: number;
      model: string;
    };
    expect(e.triggers).toEqual(['ece_delta']);
    expect(e.ece_delta.lower).toBeGreaterThan(0.05);
    expect(e.reference.kind).toBe('baseline');
    expect(e.labelled).toBe(800);
    expect(e.model).toBe('default');
    expect(e.intents).toHaveLength(5);
    expect(f.message).toMatch(/over-confident/);
    expect(f.message).toMatch(/against the baseline .* lies wholly above ece_delta 0\.05/);
    expect(JSON.stringify(findings)).not.toContain('jane.doe');
    expect(d.states()[0]!.state).toBe('firing');
    expect(d.evaluate!(new Date(endOf(2).getTime() + 10 * MIN))).toEqual([]);
  });

  it('applies max_ece to each model apart, without a reference', () => {
    const rc = messages(`{ ${BASE}, consecutive: { k: 1, n: 1 } }`);
    const d = createCalibrationDetector();
    const r = seededRandom(3);
    hour(d, rc, r, T0, 600, 'good', { model: 'intent-v7' });
    hour(d, rc, r, T0, 600, 'bad', { model: 'intent-v8', overConfidence: 0.25 });
    const findings = d.evaluate!(endOf(0));
    expect(findings.map((f) => (f.evidence as { model: string }).model)).toEqual(['intent-v8']);
    expect((findings[0]!.evidence as { triggers: string[] }).triggers).toEqual(['max_ece']);
    expect(findings[0]!.message).toMatch(/ECE 0\.\d+ is above max_ece 0\.1/);
    expect(d.states().map((s) => [s.model, s.state])).toEqual([
      ['intent-v7', 'stable'],
      ['intent-v8', 'firing'],
    ]);
  });

  it('joins labels that arrive late, out of order, and before their predictions', () => {
    const rc = messages(`{ ${BASE} }`);
    const d = createCalibrationDetector();
    d.watch(rc);
    const predict = (i: number) => {
      const id = `m-${i}`;
      d.inspect!(
        { event_id: id, intent: 'refund_status', intent_confidence: 0.9 },
        ctx(rc, id, T0 + i * 10_000),
      );
    };
    for (let i = 0; i < 250; i++) predict(i);
    // The labels of the last 50 overtake their predictions (a lagging message stream).
    for (let i = 250; i < 300; i++) label(d, `m-${i}`, 'refund_status', T0 + i * 10_000 + MIN);
    expect(d.joins()[0]).toMatchObject({ held: 50 });
    for (let i = 250; i < 300; i++) predict(i);
    // The rest come half an hour after the window, last first.
    for (let i = 249; i >= 0; i--)
      label(d, `m-${i}`, i % 10 === 0 ? 'greeting' : 'refund_status', T0 + 90 * MIN);
    expect(d.joins()).toEqual([
      expect.objectContaining({
        contract: 'conversation.message',
        labels: 'intent.label',
        predictions: 300,
        joined: 300,
        late: 0,
        unmatched: 0,
        pending: 0,
        held: 0,
      }),
    ]);
    d.evaluate!(endOf(0));
    expect(d.readings()[0]).toMatchObject({ labelled: 300, unlabelled: 0, accuracy: 275 / 300 });
  });

  it('counts labels after the TTL and for unknown predictions, and joins neither', () => {
    const rc = messages(`{ ${BASE} }`);
    const d = createCalibrationDetector();
    const send = (id: string, ms: number) =>
      d.inspect!({ event_id: id, intent: 'greeting', intent_confidence: 0.7 }, ctx(rc, id, ms));
    send('early', T0);
    send('swept', T0);
    label(d, 'early', 'greeting', T0 + 3 * HOUR);
    expect(d.joins()[0]).toMatchObject({ late: 1, expired: 2, joined: 0 });
    // Its prediction has been swept out: a label now is as unknown as one for no prediction at all.
    label(d, 'swept', 'greeting', T0 + 3 * HOUR);
    label(d, 'never-sent', 'greeting', T0 + 3 * HOUR);
    expect(d.joins()[0]).toMatchObject({ held: 2, unmatched: 0 });
    send('later', T0 + 3 * HOUR + 20 * MIN);
    expect(d.joins()[0]).toMatchObject({ held: 0, unmatched: 2, joined: 0, pending: 1 });
    d.evaluate!(new Date(T0 + 30 * MIN));
    expect(d.readings()[0]).toMatchObject({ labelled: 0, accuracy: null });
  });

  it('does not count duplicated predictions or labels twice', () => {
    const rc = messages(`{ ${BASE}, min_labels: 100 }`);
    const d = createCalibrationDetector();
    for (let i = 0; i < 250; i++) {
      const id = `m-${i}`;
      const event = { event_id: id, intent: 'refund_status', intent_confidence: 0.8 };
      d.inspect!(event, ctx(rc, id, T0 + i * 1000));
      d.inspect!(event, ctx(rc, id, T0 + i * 1000 + 5));
    }
    for (let i = 0; i < 250; i++) {
      label(d, `m-${i}`, 'refund_status', T0 + 10 * MIN);
      label(d, `m-${i}`, 'greeting', T0 + 11 * MIN);
    }
    expect(d.joins()[0]).toMatchObject({
      predictions: 250,
      duplicatePredictions: 250,
      joined: 250,
      duplicateLabels: 250,
    });
    d.evaluate!(endOf(0));
    expect(d.readings()[0]).toMatchObject({ predictions: 250, labelled: 250, accuracy: 1 });
  });

  it('reports the expected accuracy while labels are missing', () => {
    const rc = messages(`{ ${BASE} }`);
    const d = createCalibrationDetector();
    for (let i = 0; i < 300; i++) {
      const id = `m-${i}`;
      d.inspect!(
        { event_id: id, intent: 'billing_question', intent_confidence: i % 2 ? 0.7 : 0.9 },
        ctx(rc, id, T0 + i * 1000),
      );
    }
    expect(d.evaluate!(endOf(0))).toEqual([]);
    expect(d.states()[0]!.state).toBe('collecting');
    expect(d.readings()[0]).toMatchObject({
      predictions: 300,
      labelled: 0,
      unlabelled: 300,
      accuracy: null,
      ece: null,
      judged: false,
    });
    expect(d.readings()[0]!.expectedAccuracy).toBeCloseTo(0.8, 12);
    expect(d.readings()[0]!.explanation).toMatch(/collecting labels, 0 of the 200 needed/);
    for (let i = 0; i < 100; i++) label(d, `m-${i}`, 'billing_question', T0 + 10 * MIN);
    d.evaluate!(endOf(0));
    expect(d.readings()[0]).toMatchObject({ labelled: 100, unlabelled: 200, accuracy: 1 });
  });

  it('freezes quantile edges from the first confidences and counts labels joined before them', () => {
    const rc = messages(`{ ${BASE}, binning: quantile, bins: 4, min_labels: 200 }`);
    const d = createCalibrationDetector();
    const r = seededRandom(4);
    // Each label comes right after its prediction, so 199 are joined before the edges exist.
    for (let i = 0; i < 400; i++) {
      const id = `m-${i}`;
      const ms = T0 + i * 5000;
      d.inspect!({ event_id: id, intent: 'greeting', intent_confidence: 0.6 + 0.4 * r() }, ctx(rc, id, ms));
      label(d, id, 'greeting', ms + 1000);
    }
    d.evaluate!(endOf(0));
    const reading = d.readings()[0]!;
    expect(reading.labelled).toBe(400);
    expect(reading.diagram).toHaveLength(4);
    expect(reading.diagram[0]!.lower).toBe(0);
    expect(reading.diagram[1]!.lower).toBeGreaterThan(0.6);
    expect(reading.diagram.every((row) => row.count > 60)).toBe(true);
  });

  it('keeps its state to itself: a new detector starts empty', () => {
    const rc = messages(`{ ${BASE} }`);
    const d = createCalibrationDetector();
    hour(d, rc, seededRandom(5), T0, 300, 'w0');
    d.evaluate!(endOf(0));
    expect(d.readings()).toHaveLength(1);
    const fresh = createCalibrationDetector();
    fresh.evaluate!(endOf(0));
    expect(fresh.readings()).toEqual([]);
    expect(fresh.states()).toEqual([]);
    expect(fresh.joins()).toEqual([]);
  });

  it('ignores abstentions, counts malformed predictions and labels, and leaves other contracts alone', () => {
    const rc = messages(`{ ${BASE} }`);
    const d = createCalibrationDetector();
    d.inspect!({ event_id: 'a', intent: null, intent_confidence: 0.4 }, ctx(rc, 'a', T0));
    d.inspect!({ event_id: 'b', intent: 'greeting', intent_confidence: 1.4 }, ctx(rc, 'b', T0));
    d.inspect!({ event_id: 'c', intent: 'greeting' }, ctx(rc, 'c', T0));
    d.inspect!({ event_id: 'l', intent: 'greeting' }, ctx(LABELS, 'l', T0));
    expect(d.joins()[0]).toMatchObject({ predictions: 0, invalidPredictions: 2, invalidLabels: 1 });
    const other = { ...rc, contract: { ...rc.contract, contract: 'conversation.ended', monitors: {} } };
    expect(
      d.inspect!({ event_id: 'x', intent: 'greeting', intent_confidence: 0.5 }, ctx(other, 'x', T0)),
    ).toEqual([]);
    expect(d.joins()).toHaveLength(1);
  });
});

describe('calibration detector snapshots', () => {
  /** Through text, as the store keeps it. */
  const viaJson = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
  const withoutIds = (fs: ReturnType<NonNullable<CalibrationDetector['evaluate']>>) =>
    fs.map(({ id: _, ...f }) => f);

  function expectSame(a: CalibrationDetector, b: CalibrationDetector): void {
    expect(b.readings()).toEqual(a.readings());
    expect(b.states()).toEqual(a.states());
    expect(b.joins()).toEqual(a.joins());
    expect(viaJson(b.snapshot!())).toEqual(viaJson(a.snapshot!()));
  }

  // Two models, intents a store could not keep as they are (NUL, a lone surrogate), a drift under way.
  const SECTION = `{ ${BASE}, reference: baseline, max_ece: 0.5, ece_delta: 0.05 }`;
  const ODD = [...INTENTS, 'nul\u0000intent', 'lone\ud800'];

  function beforeRestart(d: CalibrationDetector, rc: ResolvedContract): void {
    const r = seededRandom(11);
    hour(d, rc, r, T0, 800, 'v7-w0', { model: 'intent-v7', intents: ODD });
    hour(d, rc, r, T0, 800, 'v8-w0', { model: 'intent-v8' });
    d.evaluate!(endOf(0));
    hour(d, rc, r, T0 + HOUR, 800, 'v7-w1', { model: 'intent-v7', overConfidence: 0.25, intents: ODD });
    hour(d, rc, r, T0 + HOUR, 800, 'v8-w1', { model: 'intent-v8' });
    d.evaluate!(endOf(1));
    // Predictions whose labels come after the restart, and labels whose predictions do.
    for (let i = 0; i < 50; i++) {
      const id = `p\u0000${i}`;
      d.inspect!(
        { event_id: id, intent: 'greeting', intent_confidence: 0.95, model_version: 'intent-v7' },
        ctx(rc, id, T0 + 2 * HOUR - MIN),
      );
      label(d, `q-${i}`, 'refund_status', T0 + 2 * HOUR - MIN);
    }
  }

  function afterRestart(d: CalibrationDetector, rc: ResolvedContract) {
    const r = seededRandom(12);
    for (let i = 0; i < 50; i++) {
      label(d, `p\u0000${i}`, i % 2 ? 'greeting' : 'billing_question', T0 + 2 * HOUR + MIN);
      const id = `q-${i}`;
      d.inspect!(
        { event_id: id, intent: 'refund_status', intent_confidence: 0.9, model_version: 'intent-v8' },
        ctx(rc, id, T0 + 2 * HOUR + MIN),
      );
    }
    hour(d, rc, r, T0 + 2 * HOUR, 800, 'v7-w2', { model: 'intent-v7', overConfidence: 0.25, intents: ODD });
    hour(d, rc, r, T0 + 2 * HOUR, 800, 'v8-w2', { model: 'intent-v8' });
    return [d.evaluate!(endOf(2)), d.evaluate!(new Date(endOf(2).getTime() + 10 * MIN))];
  }

  it('carries on after a restart as if it had never stopped', () => {
    const rc = messages(SECTION);
    const never = createCalibrationDetector();
    never.watch(rc);
    beforeRestart(never, rc);
    const before = createCalibrationDetector();
    before.watch(rc);
    beforeRestart(before, rc);
    const snapshot = before.snapshot!();
    const text = JSON.stringify(snapshot);
    // Nothing JSON would lose or change (Maps, typed arrays, NaN, Infinity, undefined), nor anything jsonb refuses.
    expect(JSON.parse(text)).toStrictEqual(snapshot);
    expect(text).not.toMatch(/\\u0000|\\ud[89a-f]/i);
    expect(snapshot.map((s) => s.contract)).toEqual(['conversation.message']);
    expect(never.joins()[0]).toMatchObject({ pending: 50, held: 50 });

    // As the service does: watch every contract, then restore, then events.
    const after = createCalibrationDetector();
    after.watch(rc);
    after.restore!(JSON.parse(text));
    expect(after.joins()).toEqual(never.joins());

    const expected = afterRestart(never, rc);
    const got = afterRestart(after, rc);
    expect(withoutIds(expected[0]!)).toHaveLength(1);
    expect(withoutIds(got[0]!)).toEqual(withoutIds(expected[0]!));
    // Reported once per window length on both sides: the restored gate and reportedUntil hold.
    expect(got[1]).toEqual([]);
    expect(expected[1]).toEqual([]);
    expectSame(never, after);
    expect(after.joins()[0]).toMatchObject({
      predictions: 3 * 1600 + 100,
      pending: 0,
      held: 0,
      unmatched: 0,
    });

    // Restarted again while firing: the drift already reported is not reported again within the window length.
    const again = createCalibrationDetector();
    again.watch(rc);
    again.restore!(viaJson(after.snapshot!()));
    const later = new Date(endOf(2).getTime() + 20 * MIN);
    expect(never.evaluate!(later)).toEqual([]);
    expect(again.evaluate!(later)).toEqual([]);
    expect(again.states().map((s) => [s.model, s.state])).toEqual([
      ['intent-v7', 'firing'],
      ['intent-v8', 'stable'],
    ]);
  });

  it('joins a label arriving after the restart with a prediction made before it, and a held label with its prediction', () => {
    const rc = messages(`{ ${BASE} }`);
    const d = createCalibrationDetector();
    for (let i = 0; i < 250; i++) {
      const id = `m-${i}`;
      d.inspect!(
        { event_id: id, intent: 'refund_status', intent_confidence: 0.8 },
        ctx(rc, id, T0 + i * 1000),
      );
    }
    label(d, 'late-prediction', 'greeting', T0 + 5 * MIN);
    const after = createCalibrationDetector();
    // Without `watch`, the monitor takes the snapshot when its contract's first event creates it
    // (labels before that would not be seen, which is why the service watches every contract at start).
    after.restore!(viaJson(d.snapshot!()));
    after.inspect!(
      { event_id: 'late-prediction', intent: 'greeting', intent_confidence: 0.6 },
      ctx(rc, 'late-prediction', T0 + 6 * MIN),
    );
    expect(after.joins()[0]).toMatchObject({ joined: 1, held: 0 });
    for (let i = 0; i < 250; i++)
      label(after, `m-${i}`, i < 200 ? 'refund_status' : 'greeting', T0 + 30 * MIN);
    expect(after.joins()[0]).toMatchObject({
      predictions: 251,
      joined: 251,
      pending: 0,
      held: 0,
      unmatched: 0,
    });
    after.evaluate!(endOf(0));
    expect(after.readings()[0]).toMatchObject({ predictions: 251, labelled: 251, accuracy: 201 / 251 });
  });

  it('carries quantile binning on whether or not its edges were frozen', () => {
    const rc = messages(`{ ${BASE}, binning: quantile, bins: 4, min_labels: 200 }`);
    const feed = (d: CalibrationDetector, from: number, to: number) => {
      const r = seededRandom(from + 1);
      for (let i = from; i < to; i++) {
        const id = `m-${i}`;
        const ms = T0 + i * 5000;
        d.inspect!({ event_id: id, intent: 'greeting', intent_confidence: 0.6 + 0.4 * r() }, ctx(rc, id, ms));
        label(d, id, r() < 0.8 ? 'greeting' : 'refund_status', ms + 1000);
      }
    };
    for (const cut of [120, 300]) {
      const never = createCalibrationDetector();
      feed(never, 0, cut);
      const after = createCalibrationDetector();
      after.restore!(viaJson(never.snapshot!()));
      feed(never, cut, 500);
      feed(after, cut, 500);
      never.evaluate!(endOf(0));
      after.evaluate!(endOf(0));
      expect(after.readings()[0]!.labelled).toBe(500);
      expect(after.readings()[0]!.diagram).toHaveLength(4);
      expectSame(never, after);
    }
  });

  it('drops the snapshot of a section that changed since, or that does not read, and starts afresh', () => {
    const old = createCalibrationDetector();
    const rc = messages(`{ ${BASE} }`);
    hour(old, rc, seededRandom(13), T0, 300, 'w0');
    const saved = viaJson(old.snapshot!());

    const changed = messages(`{ ${BASE}, max_ece: 0.2 }`);
    for (const [section, snapshot] of [
      [changed, saved],
      [
        rc,
        [{ contract: 'conversation.message', state: { ...(saved[0]!.state as object), models: 'garbage' } }],
      ],
    ] as const) {
      const d = createCalibrationDetector();
      d.watch(section);
      d.restore!(snapshot);
      expect(d.joins()[0]).toMatchObject({ predictions: 0, pending: 0, held: 0 });
      hour(d, section, seededRandom(14), T0 + HOUR, 300, 'w1');
      d.evaluate!(endOf(1));
      expect(d.readings()[0]).toMatchObject({ predictions: 300, labelled: 300 });
    }
    // A key order of its own does not make a section another one.
    const reordered = messages(
      '{ labels: intent.label, confidence: /intent_confidence, prediction: /intent, window_minutes: 60, sub_window_minutes: 10, label_ttl_hours: 2, bootstrap: { resamples: 500 } }',
    );
    const d = createCalibrationDetector();
    d.restore!(saved);
    d.watch(reordered);
    expect(d.joins()[0]).toMatchObject({ predictions: 300 });
  });

  it('passes on the snapshot of a contract whose monitor was not created since the restart', () => {
    const kept = [{ contract: 'checkout.scored', state: { fingerprint: 'x', models: [] } }];
    const d = createCalibrationDetector();
    d.restore!(kept);
    expect(d.snapshot!()).toEqual(kept);
  });
});
