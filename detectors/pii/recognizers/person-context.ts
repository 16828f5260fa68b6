import type { PiiSpan, Recognizer } from '../recognizer.js';
import type { TextView } from '../text-view.js';

/**
 * People named in conversation, found from context as Presidio's pattern
 * recognizers do without a language model: a trigger ("my name is", a
 * greeting, a sign-off, a title) followed by capitalized name tokens, with
 * surnames and their particles kept in the span. A capitalized word with no
 * trigger is never a name here, which keeps city and product names out.
 */

// Triggers are found on the lowercased text; the name after them is read from the original.
// Order matters where two match at one place: "best regards" wins over "best", "thanks" over "thanks to".
const TRIGGERS = [
  'my name is',
  "my name's",
  'name is',
  'this is',
  'i am',
  "i'm",
  'hi',
  'hello',
  'hey',
  'dear',
  'good morning',
  'good afternoon',
  'good evening',
  'thanks',
  'thank you',
  'many thanks',
  'regards',
  'best regards',
  'kind regards',
  'warm regards',
  'cheers',
  'sincerely',
  'best',
  'mr',
  'mrs',
  'ms',
  'miss',
  'dr',
  'prof',
  'speaking with',
  'speak to',
  'speak with',
  'spoke to',
  'spoke with',
  'talked to',
  'ask for',
  'name:',
  'from:',
  'signed',
  'account holder',
  'cardholder',
  'card holder',
  'employee:',
  'my details:',
  'colleague',
  'thanks to',
  '--',
];
const TRIGGER = new RegExp(`(?<![a-z0-9])(${TRIGGERS.join('|')})(?![a-z0-9])\\.?,?:?[ \\t]*\\n?[ \\t]*`, 'g');

// One name token: Jane, O'Brien, Smith-Jones, McDonald, DeShawn.
const TOKEN = "[A-Z][a-z]{0,20}(?:[A-Z][a-z]{1,20})?(?:['’-][A-Z][a-z]{1,20}){0,2}";
const PARTICLE = 'van von de der den da di du del della la le bin al ten ter dos das'.split(' ');
const PARTICLES = `(?:(?:${PARTICLE.join('|')})\\s){0,2}`;
const NAME = new RegExp(`${TOKEN}(?:[ \\t]+${PARTICLES}${TOKEN}){0,3}`, 'y');
// Speech-to-text writes names in lowercase: one or two words after the strongest triggers only.
const LOWER_NAME = /[a-z]{2,20}(?: [a-z]{2,20})?/y;

const STRONG = new Set([
  'my name is',
  "my name's",
  'name is',
  'name:',
  'mr',
  'mrs',
  'ms',
  'miss',
  'dr',
  'prof',
]);
const WEAK_SELF = new Set(['i am', "i'm"]);

/** Capitalized words that follow greetings and sign-offs without being names. */
const STOP = new Set(
  `There Team All Everyone Everybody Support Customer Customers Service Services Sir Sirs Madam Again For So Very
  Much Guys Folks Urgent Not Just The You Yes No Ok Okay Please Sure Good Great Happy Sorry Here Calling Looking
  Trying Having Still Really Also And But Hello Hi Hey Thanks Thank Regards Best Kind Agent Bot Morning Afternoon
  Evening Day Today Tomorrow Friend Friends Dear Mom Dad I We My Your Our It This That These In On At A An To Of
  Writing Reaching Following Back Confirming Glad Interested New Unable Able Done Fine Well Hope Regarding About
  With From Is Was Are Have Has Had Can Could Would Should Shall May Might Must Do Does Did Am Being Been Order
  Account Billing Sales Manager Director Department Desk Center Centre Online Mobile Web Chat Email Phone Call
  Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April June July August
  September October November December Everyone Anyone Someone Nobody Nothing Something Anything Let Lets What When
  Where Why How Who Which If As Or Nor Yet Once`.split(/\s+/),
);
const LOWER_STOP = new Set(
  `on the not in a an still already just also really very so calling from with at about looking trying here there
  having unable able going sorry happy glad fine good new back done ok okay yes no and but or is was my your our
  their his her its this that calling writing reaching regarding still currently actually speaking and`.split(
    /\s+/,
  ),
);

/** Words in the last name read by nameAt. */
let nameWords = 0;

/** End of the name starting at `at`, or -1; its word count is left in `nameWords`. */
function nameAt(text: string, at: number): number {
  NAME.lastIndex = at;
  if (!NAME.test(text)) return -1;
  const end = NAME.lastIndex;
  // Drop trailing tokens that are common words ("Hi Sarah Thanks"), then a particle left dangling.
  // Words are split on spaces and tabs only: "da\nSilva" is one word, as a regex split on [ \t]+ reads it.
  let keptEnd = at;
  let prevEnd = at;
  let lastWord = at;
  let words = 0;
  let i = at;
  while (i < end) {
    let j = i;
    for (let c = text.charCodeAt(j); j < end && c !== 32 && c !== 9; c = text.charCodeAt(++j));
    // Every STOP word is capitalized.
    const first = text.charCodeAt(i);
    if (first >= 65 && first <= 90 && STOP.has(text.slice(i, j))) break;
    prevEnd = keptEnd;
    lastWord = i;
    keptEnd = j;
    words++;
    for (i = j; i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9); i++);
  }
  if (words === 0) return -1;
  if (words > 1 && PARTICLE.includes(text.slice(lastWord, keptEnd))) {
    keptEnd = prevEnd;
    words--;
  }
  nameWords = words;
  return keptEnd;
}

/** The score of a name of `words` words after `trigger`; 0 for "I am Happy" ("I'm Jane Doe" is a name). */
function triggerScore(trigger: string, words: number): number {
  if (WEAK_SELF.has(trigger) && words < 2) return 0;
  return STRONG.has(trigger) ? 0.85 : 0.7;
}

function isAlnum(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
}

/** Where the trigger ending at `end` hands over to the name: TRIGGER's `\.?,?:?[ \t]*\n?[ \t]*`. */
function afterTrigger(lower: string, end: number): number {
  let i = end;
  if (lower.charCodeAt(i) === 46) i++;
  if (lower.charCodeAt(i) === 44) i++;
  if (lower.charCodeAt(i) === 58) i++;
  for (let c = lower.charCodeAt(i); c === 32 || c === 9; c = lower.charCodeAt(++i));
  if (lower.charCodeAt(i) === 10) i++;
  for (let c = lower.charCodeAt(i); c === 32 || c === 9; c = lower.charCodeAt(++i));
  return i;
}

function isJoiner(c: number): boolean {
  return c === 46 || c === 44 || c === 58 || c === 32 || c === 9 || c === 10;
}

/** Triggers by their last two characters, for reading one backwards from the capital after it. */
const BY_ENDING = new Map<number, number[]>();
const NONE: number[] = [];
/** For each trigger, the ones listed before it that can match at the same place and so win there. */
const RIVALS: number[][] = TRIGGERS.map(() => []);
TRIGGERS.forEach((t, i) => {
  const ending = t.charCodeAt(t.length - 2) * 128 + t.charCodeAt(t.length - 1);
  BY_ENDING.set(ending, [...(BY_ENDING.get(ending) ?? NONE), i]);
  for (let j = 0; j < i; j++) {
    const u = TRIGGERS[j]!;
    if (u.startsWith(t) || t.startsWith(u)) RIVALS[i]!.push(j);
  }
});

function matchesAt(lower: string, at: number, trigger: number): boolean {
  const t = TRIGGERS[trigger]!;
  return lower.startsWith(t, at) && !isAlnum(lower.charCodeAt(at + t.length));
}

/**
 * Where this trigger starts if it ends at `end` and TRIGGER, reaching its
 * start, reports it there; -1 if not. Its last two characters are known to match.
 */
function reportedBefore(lower: string, end: number, trigger: number): number {
  const t = TRIGGERS[trigger]!;
  const at = end - t.length;
  if (at < 0 || (at > 0 && isAlnum(lower.charCodeAt(at - 1))) || isAlnum(lower.charCodeAt(end))) return -1;
  for (let k = t.length - 3; k >= 0; k--) if (lower.charCodeAt(at + k) !== t.charCodeAt(k)) return -1;
  for (const rival of RIVALS[trigger]!) if (matchesAt(lower, at, rival)) return -1;
  return at;
}

/** A character in either case; the Kelvin sign lowercases to k. */
function anyCase(ch: string): string {
  return /[a-z]/.test(ch) ? `[${ch}${ch.toUpperCase()}${ch === 'k' ? '\\u212A' : ''}]` : ch;
}

/**
 * The words as one alternation in any case, grouped by their endings: a
 * look-behind reads it backwards, so each step tries a letter, not a word.
 */
function endingsFirst(words: readonly string[]): string {
  const byLast = new Map<string, string[]>();
  let empty = false;
  for (const w of words) {
    if (w === '') empty = true;
    else byLast.set(w.slice(-1), [...(byLast.get(w.slice(-1)) ?? []), w.slice(0, -1)]);
  }
  const alts = [...byLast].map(([last, heads]) => endingsFirst(heads) + anyCase(last));
  if (empty) alts.push('');
  return alts.length === 1 ? alts[0]! : `(?:${alts.join('|')})`;
}

// A superset of the capitals TRIGGER hands a name to: a trigger in any case after no letter or
// digit, joiners, then the capital. The look-behind comes after the capital so that it is tried
// at capitals only.
const CAPITAL_AFTER_TRIGGER = new RegExp(
  `[A-Z](?<=(?<![A-Za-z0-9])${endingsFirst(TRIGGERS)}[.,: \\t\\n]+.)`,
  'g',
);

/** Names after each trigger TRIGGER reports: the reference reading, for texts the quick one leaves to it. */
function scanAll(view: TextView): PiiSpan[] {
  const text = view.text;
  const lower = view.lower;
  const spans: PiiSpan[] = [];
  TRIGGER.lastIndex = 0;
  for (let m = TRIGGER.exec(lower); m !== null; m = TRIGGER.exec(lower)) {
    const trigger = m[1]!;
    const at = m.index + m[0].length;
    if (at >= text.length) break;
    const end = nameAt(text, at);
    if (end >= 0) {
      const tokens = nameWords;
      let score = triggerScore(trigger, tokens);
      if (trigger === 'this is') {
        const after = lower.slice(end, end + 16);
        score = /^,? (?:speaking|here|from|with|calling)/.test(after) || tokens >= 2 ? 0.85 : 0;
      }
      if (trigger === '--' && m.index > 0 && text[m.index - 1] !== '\n') score = 0;
      if (score > 0) spans.push({ entity: 'PERSON', start: at, end, score });
      TRIGGER.lastIndex = Math.max(TRIGGER.lastIndex, end);
      continue;
    }
    if (trigger === 'my name is' || trigger === 'this is' || trigger === "my name's") {
      LOWER_NAME.lastIndex = at;
      const low = LOWER_NAME.exec(text);
      if (!low) continue;
      const words = low[0].split(' ');
      while (words.length > 0 && LOWER_STOP.has(words[words.length - 1]!)) words.pop();
      if (words.length === 0 || LOWER_STOP.has(words[0]!)) continue;
      const end = at + words.join(' ').length;
      if (trigger === 'this is' && !/^,? (?:speaking|here|calling)/.test(lower.slice(end, end + 12)))
        continue;
      spans.push({ entity: 'PERSON', start: at, end, score: 0.6 });
    }
  }
  TRIGGER.lastIndex = 0;
  return spans;
}

const DASHES = TRIGGERS.indexOf('--');
const candidates: number[] = [];

/**
 * TRIGGER's reading without running it over every character. A trigger acts
 * only when a capital follows it or when it is one of the lowercase
 * introductions ("my name is", "this is"); one that does not act only moves
 * TRIGGER past its own words, where the only other trigger that starts and
 * ends elsewhere is a "--" in a run of dashes. So a text without those is
 * read from its capitals, each checked backwards for the trigger TRIGGER
 * would report before it; the rest, a few in a hundred, are read by TRIGGER.
 */
function scanPeople(view: TextView): PiiSpan[] {
  const lower = view.lower;
  // Parts of "my name" and "this is" that start with rarer letters, found sooner.
  if (lower.includes('y name') || lower.includes('his is')) return scanAll(view);
  if (!view.hasUpper) return [];
  const text = view.text;
  const spans: PiiSpan[] = [];
  let next = 0;
  let lastStart = -1;
  const re = CAPITAL_AFTER_TRIGGER;
  re.lastIndex = 0;
  while (re.test(text)) {
    const at = re.lastIndex - 1;
    let joined = at;
    while (joined > 0 && isJoiner(lower.charCodeAt(joined - 1))) joined--;
    // The trigger ends where the joiners start, or one later when it ends with their colon ("name:").
    candidates.length = 0;
    for (let end = joined; end <= joined + 1 && end < at; end++) {
      if (end > joined && lower.charCodeAt(joined) !== 58) break;
      if (afterTrigger(lower, end) !== at) continue;
      const last = lower.charCodeAt(end - 1);
      const ending = lower.charCodeAt(end - 2) * 128 + last;
      if (!(last < 128)) continue;
      for (const trigger of BY_ENDING.get(ending) ?? NONE) {
        const start = reportedBefore(lower, end, trigger);
        if (start >= 0) candidates.push(start, trigger);
      }
    }
    if (candidates.length > 2) {
      // In text order: "many thanks" before the "thanks" it holds.
      const pairs: [number, number][] = [];
      for (let k = 0; k < candidates.length; k += 2) pairs.push([candidates[k]!, candidates[k + 1]!]);
      pairs.sort((a, b) => a[0] - b[0]);
      candidates.length = 0;
      for (const [s, t] of pairs) candidates.push(s, t);
    }
    for (let k = 0; k < candidates.length; k += 2) {
      const start = candidates[k]!;
      const trigger = candidates[k + 1]!;
      // Candidates come in text order; should one not, TRIGGER decides.
      if (trigger === DASHES || start <= lastStart) {
        re.lastIndex = 0;
        return scanAll(view);
      }
      lastStart = start;
      if (start < next) continue;
      const end = nameAt(text, at);
      if (end < 0) {
        next = at;
        continue;
      }
      const score = triggerScore(TRIGGERS[trigger]!, nameWords);
      if (score > 0) spans.push({ entity: 'PERSON', start: at, end, score });
      next = end;
      if (re.lastIndex < end) re.lastIndex = end;
    }
  }
  re.lastIndex = 0;
  return spans;
}

/** PERSON from conversational context. */
export const personContextRecognizer: Recognizer = {
  name: 'person',
  entities: ['PERSON'],
  applies: (view) => view.text.length >= 4,
  scan: scanPeople,
};
