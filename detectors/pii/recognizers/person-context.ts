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
const TRIGGER =
  /(?<![a-z0-9])(my name is|my name's|name is|this is|i am|i'm|hi|hello|hey|dear|good morning|good afternoon|good evening|thanks|thank you|many thanks|regards|best regards|kind regards|warm regards|cheers|sincerely|best|mr|mrs|ms|miss|dr|prof|speaking with|speak to|speak with|spoke to|spoke with|talked to|ask for|name:|from:|signed|account holder|cardholder|card holder|employee:|my details:|colleague|thanks to|--)(?![a-z0-9])\.?,?:?[ \t]*\n?[ \t]*/g;

// One name token: Jane, O'Brien, Smith-Jones, McDonald, DeShawn.
const TOKEN = "[A-Z][a-z]{0,20}(?:[A-Z][a-z]{1,20})?(?:['’-][A-Z][a-z]{1,20}){0,2}";
const PARTICLES = '(?:(?:van|von|de|der|den|da|di|du|del|della|la|le|bin|al|ten|ter|dos|das)\\s){0,2}';
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

function nameAt(text: string, at: number): { start: number; end: number } | null {
  NAME.lastIndex = at;
  const m = NAME.exec(text);
  if (!m) return null;
  // Drop trailing tokens that are common words ("Hi Sarah Thanks").
  const parts = m[0].split(/([ \t]+)/);
  let kept = '';
  for (let i = 0; i < parts.length; i += 2) {
    const word = parts[i]!;
    if (STOP.has(word) && /^[A-Z]/.test(word)) break;
    kept += (i > 0 ? parts[i - 1] : '') + word;
  }
  kept = kept.replace(/[ \t]+(?:van|von|de|der|den|da|di|du|del|della|la|le|bin|al|ten|ter|dos|das)$/, '');
  if (kept === '') return null;
  return { start: at, end: at + kept.length };
}

function scanPeople(view: TextView): PiiSpan[] {
  const text = view.text;
  const lower = view.lower;
  const spans: PiiSpan[] = [];
  TRIGGER.lastIndex = 0;
  for (let m = TRIGGER.exec(lower); m !== null; m = TRIGGER.exec(lower)) {
    const trigger = m[1]!;
    const at = m.index + m[0].length;
    if (at >= text.length) break;
    const name = nameAt(text, at);
    if (name) {
      const tokens = text.slice(name.start, name.end).split(/[ \t]+/).length;
      let score = STRONG.has(trigger) ? 0.85 : 0.7;
      if (trigger === 'this is') {
        const after = lower.slice(name.end, name.end + 16);
        score = /^,? (?:speaking|here|from|with|calling)/.test(after) || tokens >= 2 ? 0.85 : 0;
      }
      // "I am Happy" is not a name; "I'm Jane Doe" is.
      if (WEAK_SELF.has(trigger) && tokens < 2) score = 0;
      if (trigger === '--' && m.index > 0 && text[m.index - 1] !== '\n') score = 0;
      if (score > 0) spans.push({ entity: 'PERSON', start: name.start, end: name.end, score });
      TRIGGER.lastIndex = Math.max(TRIGGER.lastIndex, name.end);
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

/** PERSON from conversational context. */
export const personContextRecognizer: Recognizer = {
  name: 'person',
  entities: ['PERSON'],
  applies: (view) => view.text.length >= 4,
  scan: scanPeople,
};
