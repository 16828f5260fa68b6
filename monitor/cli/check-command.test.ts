import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDetectors } from '../../detectors/build-detectors.js';
import { buildConfig } from '../config/config.js';
import { EXPECTED_FINDING } from '../generator/faults.js';
import { FAULT_KINDS, type GeneratedEvent, TrafficGenerator } from '../generator/generator.js';
import { runCheck } from './check-command.js';
import { runCli } from './run-cli.js';
import { testIo } from './test-io.js';

const START = new Date('2024-05-01T00:00:00Z');

interface JsonReport {
  passed: boolean;
  events: number;
  outcomes: Record<string, number>;
  violations: number;
  by_kind: Record<string, number>;
  groups: Array<{
    kind: string;
    count: number;
    examples: Array<{ event_id: string | null; line: number | null }>;
  }>;
  findings: Array<{
    kind: string;
    line: number | null;
    event_id: string | null;
    contract: string | null;
    attribute: string | null;
  }>;
}

let dir: string;

async function writeEvents(name: string, events: GeneratedEvent[]): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, events.map((e) => `${e.raw}\n`).join(''));
  return file;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-check-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Kinds some built detector can report: a fault whose kind no detector declares yet cannot be caught. */
const DECLARED = new Set(buildDetectors(buildConfig({})).all.flatMap((d) => d.kinds.map((k) => k.kind)));

describe('earshot check on generated traffic with every fault kind', () => {
  let events: GeneratedEvent[];
  let report: JsonReport;
  let code: number;

  beforeAll(async () => {
    const faults = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0.02]));
    events = new TrafficGenerator({ seed: 7, faults, start: START }).batch(6000);
    const file = await writeEvents('faulty.ndjson', events);
    const io = testIo();
    code = await runCheck([file, '--format', 'json'], io);
    report = JSON.parse(io.out()) as JsonReport;
  });

  it('exits 1 and counts every event', () => {
    expect(code).toBe(1);
    expect(report.passed).toBe(false);
    expect(report.events).toBe(events.length);
    expect(Object.values(report.outcomes).reduce((a, b) => a + b, 0)).toBe(events.length);
  });

  const perFault = FAULT_KINDS.map((fault) => ({ fault, kind: EXPECTED_FINDING[fault] }));
  for (const { fault, kind } of perFault) {
    const test = DECLARED.has(kind) ? it : it.skip;
    test(`reports ${kind} for ${fault}${DECLARED.has(kind) ? '' : ' (no detector reports it yet)'}`, () => {
      const injected = events.flatMap((e, i) => (e.fault === fault ? [{ line: i + 1, event: e }] : []));
      expect(injected.length).toBeGreaterThan(0);
      expect(report.by_kind[kind] ?? 0).toBeGreaterThan(0);
      // Completeness is a share over a window, tracked only for attributes with a minimum: one finding, no lines.
      if (fault === 'null_attribute') return;
      // Each faulty event is reported on its own line, or (drift in an open schema) by a windowed finding.
      const onLine = new Set(report.findings.filter((f) => f.kind === kind).map((f) => f.line));
      const windowed = new Set(
        report.findings
          .filter((f) => f.kind === kind && f.line === null)
          .map((f) => `${f.contract}${f.attribute}`),
      );
      const missed = injected
        .filter(
          ({ line, event }) => !onLine.has(line) && !windowed.has(`${event.contract}${event.attribute}`),
        )
        .map(({ line }) => line);
      expect(missed, `lines with ${fault} but no ${kind} finding`).toEqual([]);
    });
  }
});

describe('earshot check', () => {
  it('exits 0 on clean traffic, with the counts in the text report', async () => {
    const file = await writeEvents(
      'clean.ndjson',
      new TrafficGenerator({ seed: 3, start: START }).batch(800),
    );
    const io = testIo();
    expect(await runCheck([file], io)).toBe(0);
    expect(io.out()).toContain('Checked 800 events');
    expect(io.out()).toMatch(/PASS: no violations/);
    expect(io.err()).toBe('');
  });

  it('groups violations by contract, kind and attribute with example lines', async () => {
    const lines = [
      '{"event_type":"conversation.message","event_id":"e-1"}',
      'not json',
      '',
      '{"event_type":"nope","event_id":"e-2"}',
    ];
    const file = join(dir, 'few.ndjson');
    await writeFile(file, `${lines.join('\n')}\n`);
    const io = testIo();
    expect(await runCheck([file], io)).toBe(1);
    const out = io.out();
    expect(out).toContain('Checked 3 events');
    expect(out).toMatch(/conversation\.message[^\n]*: \d+\n/);
    expect(out).toMatch(/missing_required\s+\/\w+\s+1\n\s+e\.g\. line 1 \(e-1\)/);
    expect(out).toMatch(/malformed\s+1\n\s+e\.g\. line 2\n/);
    expect(out).toMatch(/unknown_contract\s+\/event_type\s+1\n\s+e\.g\. line 4 \(e-2\)/);
    expect(out).toMatch(/FAIL: \d+ violations/);
  });

  it('reads stdin for -', async () => {
    const text = new TrafficGenerator({ seed: 4, start: START })
      .batch(50)
      .map((e) => e.raw)
      .join('\n');
    const io = testIo({ stdin: `${text}\n{"event_type":"conversation.message"}\n` });
    expect(await runCheck(['-', '--format', 'json'], io)).toBe(1);
    const report = JSON.parse(io.out()) as JsonReport;
    expect(report.events).toBe(51);
    expect(report.findings.some((f) => f.kind === 'missing_required' && f.line === 51)).toBe(true);
  });

  it('draws a progress bar on a terminal stderr and clears it', async () => {
    const file = await writeEvents('tty.ndjson', new TrafficGenerator({ seed: 5, start: START }).batch(1200));
    const io = testIo({ tty: true });
    expect(await runCheck([file], io)).toBe(0);
    expect(io.err()).toContain('%');
    expect(io.err().endsWith('\r\x1b[2K')).toBe(true);
    expect(io.out()).not.toContain('\x1b');
  });

  it('exits 2 with a message for a missing file, a bad format or a missing argument', async () => {
    let io = testIo();
    expect(await runCli(['check', join(dir, 'absent.ndjson')], io)).toBe(2);
    expect(io.err()).toContain('no such file');
    io = testIo();
    expect(await runCli(['check', '-', '--format', 'xml'], io)).toBe(2);
    expect(io.err()).toContain('--format must be text or json');
    io = testIo();
    expect(await runCli(['check'], io)).toBe(2);
    expect(io.err()).toContain('needs a FILE');
    io = testIo();
    expect(await runCli(['check', 'x', '--nope'], io)).toBe(2);
    expect(io.err()).toContain("earshot check: Unknown option '--nope'");
  });

  it('exits 2 when the contracts folder cannot be loaded', async () => {
    const io = testIo();
    expect(await runCli(['check', '-', '--contracts', join(dir, 'no-contracts')], io)).toBe(2);
    expect(io.err()).toContain('cannot load contracts');
  });
});
