import { CATALOG, type EventType } from './catalog.js';
import type { Random } from './random.js';
import {
  AGENT_REPLIES,
  BASE_PURPOSES,
  BOT_CHANNELS,
  BOT_LINES,
  CHANNEL_WEIGHTS,
  CHANNELS,
  type Channel,
  CONSENT_SOURCE_WEIGHTS,
  CONSENT_SOURCES,
  CONSENT_VERSION,
  EMBEDDING_DIMENSIONS,
  ENTRY_POINTS,
  FOLLOW_UPS,
  INTENT_CENTROIDS,
  INTENT_MODEL_VERSION,
  INTENT_PROFILES,
  INTENT_WEIGHTS,
  INTENTS,
  type Intent,
  type Language,
  LOCALE_WEIGHTS,
  LOCALES,
  type Locale,
  OFFER_EXPERIMENT,
  OFFER_LIFT,
  OPENINGS,
  REPLY_EXPERIMENT,
  RESOLUTION_WEIGHTS,
  RESOLUTIONS,
  SECONDS_PER_TURN,
  TIER_WEIGHTS,
  TIERS,
  TURNS,
} from './vocab.js';

/** A clean event, valid against the active version of its contract. */
export interface SimEvent {
  type: EventType;
  event: Record<string, unknown>;
}

interface User {
  id: string;
  locale: Locale;
  channel: Channel;
  tier: string;
  arm: string;
  advertising: boolean;
  personalization: boolean;
  gpc: boolean;
  consented: boolean;
  conversations: number;
  busy: boolean;
}

interface Conversation {
  id: string;
  user: User;
  channel: Channel;
  language: Language;
  intent: Intent;
  turn: number;
  turns: number;
  /** A bot answers until this turn, then an agent; 0 when an agent answers from the start. */
  botUntil: number;
  /** The bot greets first (turn 1 is the bot's). */
  botFirst: boolean;
}

type Thunk = (ms: number, at: string) => SimEvent;

export interface SimulationOptions {
  users: number;
  startMs: number;
  stepMs: number;
  /** Share of events that name their schema_version (the others rely on the latest active version). */
  versionShare: number;
}

const DAY_MS = 86_400_000;
const LABEL_RATE = 0.1;
const CONSENT_CHANGE_RATE = 0.004;
const REPLY_EXPERIMENT_RATE = 0.3;
const SENTIMENT_NOISE = { customer: 0.25, agent: 0.15, bot: 0.1 } as const;

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  // + 0 turns -0 into 0, which JSON cannot tell apart anyway.
  return Math.round(x * f) / f + 0;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, x));
}

/**
 * Conversation traffic from a population of users: each conversation flows
 * started -> turns of customer, bot and agent messages -> ended, many at
 * once and interleaved; a user's first conversation is preceded by their
 * consent and followed by an experiment exposure; some customer messages
 * get a human intent label later, some resolved conversations a conversion.
 * Consent always grants the purposes the shipped contracts need, and the
 * intent classifier is calibrated (confidence = chance of being right), so
 * clean traffic raises no finding.
 */
export class Simulation {
  private readonly users: User[] = [];
  private readonly active: Conversation[] = [];
  private readonly ready: Thunk[] = [];
  private readyHead = 0;
  /** Events due later (labels, conversions), by the index of the event they come at. */
  private readonly delayed = new Map<number, Thunk[]>();
  private readonly consented: User[] = [];
  private readonly target: number;
  private index = 0;

  constructor(
    private readonly rng: Random,
    private readonly opts: SimulationOptions,
  ) {
    const n = Math.max(1, Math.floor(opts.users));
    for (let i = 0; i < n; i++) this.users.push(this.newUser(i));
    this.target = Math.max(1, Math.min(64, Math.ceil(n / 8)));
  }

  next(): SimEvent {
    const due = this.delayed.get(this.index);
    if (due) {
      this.delayed.delete(this.index);
      for (const t of due) this.ready.push(t);
    }
    const ms = this.opts.startMs + this.index * this.opts.stepMs;
    const at = new Date(ms).toISOString();
    this.index++;
    if (this.readyHead < this.ready.length) {
      const thunk = this.ready[this.readyHead++]!;
      if (this.readyHead === this.ready.length) {
        this.ready.length = 0;
        this.readyHead = 0;
      }
      return thunk(ms, at);
    }
    return this.decide(ms, at);
  }

  private decide(ms: number, at: string): SimEvent {
    const rng = this.rng;
    if (this.active.length === 0 || (this.active.length < this.target && rng.chance(0.3))) {
      return this.startConversation(ms, at);
    }
    if (this.consented.length > 0 && rng.chance(CONSENT_CHANGE_RATE)) {
      return this.consentChange(rng.pick(this.consented), at, ms);
    }
    const i = Math.floor(rng.next() * this.active.length);
    const conv = this.active[i]!;
    if (conv.turn < conv.turns) return this.message(conv, at);
    this.active[i] = this.active[this.active.length - 1]!;
    this.active.pop();
    conv.user.busy = false;
    return this.ended(conv, at);
  }

  private later(thunk: Thunk, min: number, max: number): void {
    const at = this.index + this.rng.int(min, max);
    const list = this.delayed.get(at);
    if (list) list.push(thunk);
    else this.delayed.set(at, [thunk]);
  }

  private newUser(i: number): User {
    const rng = this.rng;
    const gpc = rng.chance(0.1);
    return {
      id: `usr_${i.toString(36).padStart(6, '0')}`,
      locale: rng.weighted(LOCALES, LOCALE_WEIGHTS),
      channel: rng.weighted(CHANNELS, CHANNEL_WEIGHTS),
      tier: rng.weighted(TIERS, TIER_WEIGHTS),
      arm: OFFER_EXPERIMENT.arms[rng.int(0, 1)]!,
      advertising: !gpc && rng.chance(0.6),
      personalization: rng.chance(0.8),
      gpc,
      consented: false,
      conversations: 0,
      busy: false,
    };
  }

  private envelope(
    type: EventType,
    at: string,
    user: User,
    conversationId: string | null,
    channel: Channel,
  ): Record<string, unknown> {
    const e: Record<string, unknown> = { event_id: this.rng.uuid(), event_type: type };
    if (this.rng.chance(this.opts.versionShare)) e.schema_version = CATALOG[type].active;
    e.occurred_at = at;
    e.user_id = user.id;
    if (conversationId !== null) e.conversation_id = conversationId;
    e.channel = channel;
    return e;
  }

  private startConversation(ms: number, at: string): SimEvent {
    const rng = this.rng;
    let user = rng.pick(this.users);
    for (let tries = 0; user.busy && tries < 8; tries++) user = rng.pick(this.users);
    user.busy = true;
    const channel = rng.chance(0.8) ? user.channel : rng.weighted(CHANNELS, CHANNEL_WEIGHTS);
    const [minTurns, maxTurns] = TURNS[channel];
    const turns = rng.int(minTurns, maxTurns);
    const bot = BOT_CHANNELS.has(channel) && rng.chance(0.6);
    const conv: Conversation = {
      id: rng.uuid(),
      user,
      channel,
      language: user.locale.language,
      intent: rng.weighted(INTENTS, INTENT_WEIGHTS),
      turn: 0,
      turns,
      botUntil: bot ? (rng.chance(0.3) ? rng.int(2, turns) : turns + 1) : 0,
      botFirst: bot && rng.chance(0.5),
    };
    this.active.push(conv);
    const first = user.conversations === 0;
    const prior = user.conversations++;
    const started: Thunk = (_ms, when) => this.started(conv, prior, when);
    if (!user.consented) {
      user.consented = true;
      this.consented.push(user);
      this.ready.push(started);
      this.queueExposures(conv, first);
      return this.consentInitial(user, conv, at, ms);
    }
    this.queueExposures(conv, first);
    return started(ms, at);
  }

  private queueExposures(conv: Conversation, first: boolean): void {
    if (first) this.ready.push((_ms, at) => this.exposure(conv, OFFER_EXPERIMENT.id, at));
    if (conv.botUntil > 0 && this.rng.chance(REPLY_EXPERIMENT_RATE)) {
      this.ready.push((_ms, at) => this.exposure(conv, REPLY_EXPERIMENT.id, at));
    }
  }

  private started(conv: Conversation, prior: number, at: string): SimEvent {
    const e = this.envelope('conversation.started', at, conv.user, conv.id, conv.channel);
    e.locale = conv.user.locale.tag;
    e.entry_point = this.rng.pick(ENTRY_POINTS[conv.channel]);
    e.customer_tier = conv.user.tier;
    e.prior_conversations = prior;
    e.queue = INTENT_PROFILES[conv.intent].queue;
    return { type: 'conversation.started', event: e };
  }

  private speaker(conv: Conversation, turn: number): 'customer' | 'agent' | 'bot' {
    const customerTurn = conv.botFirst ? turn % 2 === 0 : turn % 2 === 1;
    if (customerTurn) return 'customer';
    return turn < conv.botUntil ? 'bot' : 'agent';
  }

  private message(conv: Conversation, at: string): SimEvent {
    const rng = this.rng;
    const turn = ++conv.turn;
    const speaker = this.speaker(conv, turn);
    const lang = conv.language;
    const mean =
      speaker === 'customer' ? INTENT_PROFILES[conv.intent].sentiment : speaker === 'agent' ? 0.3 : 0.2;
    const sentiment = round(clamp(mean + rng.normal() * SENTIMENT_NOISE[speaker], -1, 1), 2);
    let text: string;
    if (speaker === 'customer') {
      const firstCustomerTurn = turn === (conv.botFirst ? 2 : 1);
      const followUps = FOLLOW_UPS[lang];
      text = rng.pick(
        firstCustomerTurn
          ? OPENINGS[conv.intent][lang]
          : sentiment >= 0
            ? followUps.positive
            : followUps.negative,
      );
    } else if (speaker === 'bot') {
      const lines = BOT_LINES[lang];
      if (turn === 1) text = lines.greeting;
      else if (turn + 2 >= conv.botUntil && conv.botUntil <= conv.turns) text = lines.handover;
      else text = rng.pick(lines.replies);
    } else {
      text = rng.pick(AGENT_REPLIES[lang]);
    }
    // Calibrated classifier: it is right with the probability it states.
    const confidence = round(0.5 + 0.5 * Math.sqrt(rng.next()), 3);
    const predicted =
      rng.next() < confidence
        ? conv.intent
        : INTENTS[(INTENTS.indexOf(conv.intent) + rng.int(1, INTENTS.length - 1)) % INTENTS.length]!;
    const centroid = INTENT_CENTROIDS[conv.intent];
    const embedding = new Array<number>(EMBEDDING_DIMENSIONS);
    for (let d = 0; d < EMBEDDING_DIMENSIONS; d++) {
      embedding[d] = round(centroid[d]! + rng.normal() * 0.15, 4);
    }

    const e = this.envelope('conversation.message', at, conv.user, conv.id, conv.channel);
    e.turn = turn;
    e.speaker = speaker;
    e.text = text;
    e.language = lang;
    e.intent = predicted;
    e.intent_confidence = confidence;
    e.sentiment = sentiment;
    e.embedding = embedding;
    e.model_version = INTENT_MODEL_VERSION;
    if (speaker === 'customer' && rng.chance(LABEL_RATE)) {
      const messageId = e.event_id as string;
      this.later((_ms, when) => this.label(conv, messageId, predicted, when), 20, 400);
    }
    return { type: 'conversation.message', event: e };
  }

  private label(conv: Conversation, messageId: string, predicted: string, at: string): SimEvent {
    const rng = this.rng;
    const e = this.envelope('intent.label', at, conv.user, conv.id, conv.channel);
    e.message_id = messageId;
    e.intent = conv.intent;
    e.labeler = `qa-${rng.int(1, 25).toString().padStart(3, '0')}`;
    e.corrected_from = predicted;
    e.label_source = rng.weighted(['qa_review', 'agent_wrapup', 'customer_feedback'], [70, 20, 10]);
    return { type: 'intent.label', event: e };
  }

  private ended(conv: Conversation, at: string): SimEvent {
    const rng = this.rng;
    const resolution = rng.weighted(RESOLUTIONS, RESOLUTION_WEIGHTS);
    const profile = INTENT_PROFILES[conv.intent];
    const e = this.envelope('conversation.ended', at, conv.user, conv.id, conv.channel);
    e.resolution = resolution;
    e.handle_time_seconds = round(conv.turns * SECONDS_PER_TURN[conv.channel] * (0.5 + rng.next()), 1);
    e.escalated = conv.botUntil > 0 && conv.botUntil <= conv.turns;
    e.turns = conv.turns;
    e.disposition =
      resolution === 'abandoned'
        ? 'customer_abandoned'
        : resolution === 'resolved'
          ? profile.dispositions.resolved
          : profile.dispositions.unresolved;
    e.wait_seconds = round(rng.next() * (conv.channel === 'email' ? 14_400 : 300), 1);
    if (rng.chance(0.3)) {
      const base = resolution === 'resolved' ? 4 : resolution === 'abandoned' ? 2 : 3;
      e.csat = clamp(base + rng.int(-1, 1), 1, 5);
    }
    const conversion = profile.conversion;
    if (resolution === 'resolved' && conversion) {
      const rate = conversion.rate * (conv.user.arm === 'treatment' ? OFFER_LIFT : 1);
      if (rng.chance(rate)) {
        this.later((_ms, when) => this.conversion(conv, conversion.type, conversion.value, when), 5, 200);
      }
    }
    return { type: 'conversation.ended', event: e };
  }

  private conversion(
    conv: Conversation,
    type: string,
    [min, max]: readonly [number, number],
    at: string,
  ): SimEvent {
    const rng = this.rng;
    const e = this.envelope('conversion', at, conv.user, conv.id, conv.channel);
    e.conversion_type = type;
    e.value = round(min + rng.next() * (max - min), 2);
    e.currency = conv.user.locale.currency;
    e.order_id = `ord_${rng.uint32().toString(36)}`;
    e.experiment_id = OFFER_EXPERIMENT.id;
    e.arm = conv.user.arm;
    return { type: 'conversion', event: e };
  }

  private exposure(conv: Conversation, experimentId: string, at: string): SimEvent {
    const e = this.envelope('experiment.exposure', at, conv.user, conv.id, conv.channel);
    e.experiment_id = experimentId;
    if (experimentId === OFFER_EXPERIMENT.id) {
      e.arm = conv.user.arm;
      e.unit_id = conv.user.id;
      e.unit_type = OFFER_EXPERIMENT.unitType;
      e.surface = OFFER_EXPERIMENT.surface;
    } else {
      e.arm = REPLY_EXPERIMENT.arms[this.rng.int(0, 1)];
      e.unit_id = conv.id;
      e.unit_type = REPLY_EXPERIMENT.unitType;
      e.surface = REPLY_EXPERIMENT.surface;
    }
    return { type: 'experiment.exposure', event: e };
  }

  private consentInitial(user: User, conv: Conversation, at: string, ms: number): SimEvent {
    const source = this.rng.weighted(CONSENT_SOURCES, CONSENT_SOURCE_WEIGHTS);
    return this.consent(user, conv.id, conv.channel, source, at, ms);
  }

  private consentChange(user: User, at: string, ms: number): SimEvent {
    const rng = this.rng;
    if (rng.chance(0.5)) user.personalization = !user.personalization;
    else if (user.gpc) user.gpc = false;
    else if (rng.chance(0.2)) {
      user.gpc = true;
      user.advertising = false;
    } else user.advertising = !user.advertising;
    return this.consent(user, null, user.channel, 'settings', at, ms);
  }

  private consent(
    user: User,
    conversationId: string | null,
    channel: Channel,
    source: string,
    at: string,
    ms: number,
  ): SimEvent {
    const granted: string[] = [...BASE_PURPOSES];
    const denied: string[] = [];
    (user.personalization ? granted : denied).push('personalization');
    (user.advertising ? granted : denied).push('advertising');
    const ads = user.advertising ? 'granted' : 'denied';
    const e = this.envelope('consent.updated', at, user, conversationId, channel);
    e.purposes_granted = granted;
    e.purposes_denied = denied;
    e.gpc = user.gpc;
    e.consent_version = CONSENT_VERSION;
    e.source = source;
    e.consent_mode = {
      analytics_storage: 'granted',
      ad_storage: ads,
      ad_user_data: ads,
      ad_personalization: user.advertising && user.personalization ? 'granted' : 'denied',
    };
    e.expires_at = new Date(ms + 365 * DAY_MS).toISOString();
    return { type: 'consent.updated', event: e };
  }
}
