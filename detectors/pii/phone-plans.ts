import { type CountryCode, Metadata } from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/metadata.max.json';

/**
 * Answers from libphonenumber-js's own metadata what a parse would answer,
 * where the answer is certain. A full parse costs 6 to 45 µs a region, and
 * conversation text is full of digit groups (order numbers, amounts, ids):
 *
 * - Plausible: a valid number's national number matches its plan's general
 *   pattern and the pattern and lengths of one of its types (fixed line,
 *   mobile, toll free, ...), which is how libphonenumber-js judges it; a
 *   number fitting none, as written or with its national prefix stripped,
 *   is not valid, and no parse is needed.
 * - Certain: a number libphonenumber-js reads in the plain way (no
 *   international prefix, no calling code dialled without `+`, a simple
 *   national prefix) that fits a type of its region's main plan is valid.
 *
 * Anything between is parsed. phone-plans.test.ts checks both claims
 * against libphonenumber-js on numbers of every region.
 */

/** The parts of libphonenumber-js's numbering plan read here (its typings list fewer than it has). */
interface PlanAccess {
  callingCode(): string;
  leadingDigits(): string | undefined;
  possibleLengths(): number[] | undefined;
  nationalNumberPattern(): string;
  type(name: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
  nationalPrefixForParsing(): string | undefined;
  nationalPrefixTransformRule(): string | undefined;
  IDDPrefix(): string;
}

/** The number types libphonenumber-js's getNumberType tries. */
const TYPES = [
  'FIXED_LINE',
  'MOBILE',
  'PREMIUM_RATE',
  'TOLL_FREE',
  'SHARED_COST',
  'VOIP',
  'PERSONAL_NUMBER',
  'PAGER',
  'UAN',
  'VOICEMAIL',
];

/** One region's patterns, anchored. */
interface RegionPatterns {
  general: RegExp;
  types: { pattern: RegExp; lengths: readonly number[] | undefined }[];
  /**
   * Bit n set when some type takes numbers of n digits; every bit when a
   * type lists no lengths. Most digit runs have a length no type of the
   * region takes, and a bit test rejects them before any pattern runs.
   */
  lengthMask: number;
}

const ANY_LENGTH = -1;

function takesLength(mask: number, length: number): boolean {
  return mask === ANY_LENGTH || (length < 31 && ((mask >>> length) & 1) === 1);
}

interface Plan {
  /**
   * The patterns of every region sharing the region's calling code:
   * libphonenumber-js parses "628 864 1234" in Antigua as a valid
   * Californian number, both being +1.
   */
  group: RegionPatterns[];
  /** The lengths any region of the group takes (RegionPatterns.lengthMask of them all). */
  groupLengths: number;
  /** The national prefix for parsing, anchored at the start, or null. */
  prefix: RegExp | null;
  /** A transform rule rewrites what the prefix captured: too rare to model, so such plans never reject. */
  transforms: boolean;
  /** The international dialling prefix, anchored: a number dialled with it is international. */
  idd: RegExp | null;
  /** The calling code: "532345677" in Cuba is +53 2345677 dialled without its `+`, and libphonenumber-js reads it so. */
  code: string;
  /**
   * The region is its calling code's main one (listed first) and has no
   * leading digits: libphonenumber-js gives a number of that code to it
   * whenever the number fits one of its types.
   */
  main: boolean;
  /** The region's possible national number lengths. */
  lengths: readonly number[];
}

const plans = new Map<string, Plan>();
const callingCodes = metadata.country_calling_codes as Record<string, CountryCode[]>;
const nonGeographic = metadata.nonGeographic as Record<string, unknown>;

function access(region: CountryCode): PlanAccess {
  const md = new Metadata(metadata);
  md.selectNumberingPlan(region);
  return md.numberingPlan as unknown as PlanAccess;
}

const anchored = (pattern: string) => new RegExp(`^(?:${pattern})$`);

function patternsOf(region: CountryCode): RegionPatterns {
  const p = access(region);
  const types: RegionPatterns['types'] = [];
  let lengthMask = 0;
  for (const name of TYPES) {
    const t = p.type(name);
    const pattern = t?.pattern();
    if (!pattern) continue;
    const lengths = t?.possibleLengths();
    types.push({ pattern: anchored(pattern), lengths });
    if (lengths === undefined || lengths.some((n) => n >= 31)) lengthMask = ANY_LENGTH;
    else if (lengthMask !== ANY_LENGTH) for (const n of lengths) lengthMask |= 1 << n;
  }
  return { general: anchored(p.nationalNumberPattern()), types, lengthMask };
}

/** True when `national` matches the region's general pattern and one of its types, as libphonenumber-js's getNumberType asks. */
function fitsRegion(r: RegionPatterns, national: string): boolean {
  if (!takesLength(r.lengthMask, national.length) || !r.general.test(national)) return false;
  for (const t of r.types) {
    if (t.lengths && !t.lengths.includes(national.length)) continue;
    if (t.pattern.test(national)) return true;
  }
  return false;
}

/** True when `national` is a number of some type in one of the plan's regions. */
function fits(plan: Plan, national: string): boolean {
  if (!takesLength(plan.groupLengths, national.length)) return false;
  for (const r of plan.group) if (fitsRegion(r, national)) return true;
  return false;
}

function planOf(region: CountryCode): Plan {
  let plan = plans.get(region);
  if (plan) return plan;
  const p = access(region);
  const code = p.callingCode();
  // The region itself first: most numbers dialled in a region are its own.
  const group = [region, ...(callingCodes[code] ?? []).filter((r) => r !== region)];
  const prefix = p.nationalPrefixForParsing();
  const idd = p.IDDPrefix();
  const patterns = group.map(patternsOf);
  plan = {
    group: patterns,
    groupLengths: patterns.reduce(
      (mask, r) => (mask === ANY_LENGTH || r.lengthMask === ANY_LENGTH ? ANY_LENGTH : mask | r.lengthMask),
      0,
    ),
    prefix: prefix ? new RegExp(`^(?:${prefix})`) : null,
    transforms: Boolean(p.nationalPrefixTransformRule()),
    idd: idd ? new RegExp(`^(?:${idd})`) : null,
    code,
    main: callingCodes[code]?.[0] === region && !p.leadingDigits(),
    lengths: p.possibleLengths() ?? [],
  };
  plans.set(region, plan);
  return plan;
}

/**
 * False when `digits`, dialled nationally in `region`, cannot be a valid
 * number there; true when libphonenumber-js has to be asked.
 */
export function nationalPlausible(region: CountryCode, digits: string): boolean {
  const plan = planOf(region);
  if (fits(plan, digits)) return true;
  const idd = plan.idd?.exec(digits);
  // Dialled with the international prefix, it is read as `+` and what follows, unless a 0 follows (no calling code starts so).
  if (idd && digits.length > idd[0].length && digits[idd[0].length] !== '0') {
    return internationalPlausible(digits.slice(idd[0].length));
  }
  if (idd) return true;
  // The calling code typed without `+` ("971 050 123 4567"): libphonenumber-js may drop it, and then a trunk prefix.
  if (digits.startsWith(plan.code) && fitsNational(plan, digits.slice(plan.code.length))) return true;
  return fitsNational(plan, digits);
}

/** True when `digits` fits the plan as written or with its national prefix stripped (or the prefix is rewritten). */
function fitsNational(plan: Plan, digits: string): boolean {
  if (fits(plan, digits)) return true;
  const m = plan.prefix?.exec(digits);
  if (!m) return false;
  return plan.transforms || fits(plan, digits.slice(m[0].length));
}

/**
 * The calling code at the start of `digits` (everything after the `+`):
 * its regions and the national number after it; 'non-geographic' for
 * +800, +882 and the like; null when no calling code starts it. Calling
 * codes are prefix-free, so at most one of the 1- to 3-digit prefixes is one.
 */
function callingCodeOf(
  digits: string,
): { regions: readonly CountryCode[]; national: string } | 'non-geographic' | null {
  for (let n = 1; n <= 3 && n < digits.length; n++) {
    const code = digits.slice(0, n);
    if (nonGeographic[code]) return 'non-geographic';
    const regions = callingCodes[code];
    if (regions) return { regions, national: digits.slice(n) };
  }
  return null;
}

/**
 * False when `+digits` cannot be a valid international number; true when
 * libphonenumber-js has to be asked (non-geographic codes always are).
 */
export function internationalPlausible(digits: string): boolean {
  const cc = callingCodeOf(digits);
  if (cc === null) return false;
  if (cc === 'non-geographic') return true;
  return cc.regions.some((r) => nationalPlausible(r, cc.national));
}

/**
 * True only when libphonenumber-js certainly reads `digits` as a valid
 * number of the plan's region, following its own steps: the national prefix
 * for parsing (a trunk 0 or 1) is stripped when present, and the number
 * left, of a possible length, fits one of the region's number types; the
 * region being its calling code's main one, the number is given to it.
 * Anything less plain (a prefix with capture groups or a transform rule, a
 * region sharing its code as a second) is not certain, and is parsed.
 */
function certain(plan: Plan, digits: string): boolean {
  if (!plan.main) return false;
  const own = plan.group[0]!;
  const m = plan.prefix?.exec(digits);
  if (!m) return fitsRegion(own, digits);
  if (m.length > 1 || plan.transforms) return false;
  const national = digits.slice(m[0].length);
  return plan.lengths.includes(national.length) && fitsRegion(own, national);
}

/**
 * True only when libphonenumber-js certainly calls `digits`, dialled
 * nationally in `region`, valid; false means it has to be asked. A number
 * starting with the international prefix is read as international, so it
 * is never certain here. One starting with the region's calling code
 * ("1 718 555 0155" in the US) may be: libphonenumber-js drops the code
 * only when the number read plainly fails the region's pattern or is too
 * long, and a number certain() accepts does neither.
 */
export function nationalCertain(region: CountryCode, digits: string): boolean {
  const plan = planOf(region);
  if (plan.idd?.test(digits)) return false;
  return certain(plan, digits);
}

/** True only when libphonenumber-js certainly calls `+digits` valid; false means it has to be asked. */
export function internationalCertain(digits: string): boolean {
  const cc = callingCodeOf(digits);
  if (cc === null || cc === 'non-geographic') return false;
  return certain(planOf(cc.regions[0]!), cc.national);
}
