import { type CountryCode, Metadata } from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/metadata.max.json';

/**
 * Quick rejection of numbers libphonenumber-js would call invalid, from its
 * own metadata. A full parse costs 6 to 45 µs a region; most digit groups in
 * conversation text (order numbers, amounts, ids) fit no numbering plan at
 * all, and a compiled regular expression says so in well under a
 * microsecond. This never rejects a number libphonenumber-js accepts: a
 * valid number's national number matches its plan's general pattern and the
 * pattern and lengths of one of its types (fixed line, mobile, toll free,
 * ...), which is how libphonenumber-js judges it; both the number as
 * written and with its national prefix stripped are tried.
 * phone-plans.test.ts checks that on thousands of numbers.
 */

/** The parts of libphonenumber-js's numbering plan read here (its typings list fewer than it has). */
interface PlanAccess {
  callingCode(): string;
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
}

interface Plan {
  /**
   * The patterns of every region sharing the region's calling code:
   * libphonenumber-js parses "628 864 1234" in Antigua as a valid
   * Californian number, both being +1.
   */
  group: RegionPatterns[];
  /** The national prefix for parsing, anchored at the start, or null. */
  prefix: RegExp | null;
  /** A transform rule rewrites what the prefix captured: too rare to model, so such plans never reject. */
  transforms: boolean;
  /** The international dialling prefix, anchored: a number dialled with it is international. */
  idd: RegExp | null;
  /** The calling code: "532345677" in Cuba is +53 2345677 dialled without its `+`, and libphonenumber-js reads it so. */
  code: string;
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
  for (const name of TYPES) {
    const t = p.type(name);
    const pattern = t?.pattern();
    if (pattern) types.push({ pattern: anchored(pattern), lengths: t?.possibleLengths() });
  }
  return { general: anchored(p.nationalNumberPattern()), types };
}

/** True when `national` is a number of some type in one of the plan's regions. */
function fits(plan: Plan, national: string): boolean {
  for (const r of plan.group) {
    if (!r.general.test(national)) continue;
    for (const t of r.types) {
      if (t.lengths && !t.lengths.includes(national.length)) continue;
      if (t.pattern.test(national)) return true;
    }
  }
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
  plan = {
    group: group.map(patternsOf),
    prefix: prefix ? new RegExp(`^(?:${prefix})`) : null,
    transforms: Boolean(p.nationalPrefixTransformRule()),
    idd: idd ? new RegExp(`^(?:${idd})`) : null,
    code,
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
  if (plan.idd?.test(digits)) return true;
  if (digits.startsWith(plan.code) && fits(plan, digits.slice(plan.code.length))) return true;
  const m = plan.prefix?.exec(digits);
  if (!m) return false;
  return plan.transforms || fits(plan, digits.slice(m[0].length));
}

/**
 * False when `digits` (everything after the `+`) cannot be a valid
 * international number; true when libphonenumber-js has to be asked.
 * Calling codes are prefix-free, so at most one of the 1- to 3-digit
 * prefixes is one.
 */
export function internationalPlausible(digits: string): boolean {
  for (let n = 1; n <= 3 && n < digits.length; n++) {
    const code = digits.slice(0, n);
    // Non-geographic codes (+800, +882, ...) are left to libphonenumber-js.
    if (nonGeographic[code]) return true;
    const regions = callingCodes[code];
    if (!regions) continue;
    const national = digits.slice(n);
    return regions.some((r) => nationalPlausible(r, national));
  }
  return false;
}
