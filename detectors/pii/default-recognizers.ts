import { PiiAnalyzer } from './analyzer.js';
import type { PiiEntity } from './entities.js';
import type { Recognizer } from './recognizer.js';
import { birthDateRecognizer } from './recognizers/birth-date.js';
import { creditCardRecognizer } from './recognizers/credit-card.js';
import { cryptoWalletRecognizer } from './recognizers/crypto-wallet.js';
import { emailRecognizer } from './recognizers/email.js';
import { ibanRecognizer } from './recognizers/iban.js';
import { ipAddressRecognizer } from './recognizers/ip-address.js';
import { passportRecognizer } from './recognizers/passport.js';
import { personContextRecognizer } from './recognizers/person-context.js';
import { phoneRecognizer } from './recognizers/phone.js';
import { spokenDigitsRecognizer } from './recognizers/spoken-digits.js';
import { streetAddressRecognizer } from './recognizers/street-address.js';
import { ukNinoRecognizer } from './recognizers/uk-nino.js';
import { urlCredentialsRecognizer } from './recognizers/url-credentials.js';
import { usSsnRecognizer } from './recognizers/us-ssn.js';

/** Every recognizer earshot ships, cheapest gates first. */
export const DEFAULT_RECOGNIZERS: readonly Recognizer[] = [
  emailRecognizer,
  urlCredentialsRecognizer,
  creditCardRecognizer,
  ibanRecognizer,
  usSsnRecognizer,
  phoneRecognizer,
  ipAddressRecognizer,
  ukNinoRecognizer,
  passportRecognizer,
  cryptoWalletRecognizer,
  birthDateRecognizer,
  streetAddressRecognizer,
  personContextRecognizer,
  spokenDigitsRecognizer,
];

/** The analyzer with every shipped recognizer. */
export function createPiiAnalyzer(
  opts: { threshold?: number; entities?: readonly PiiEntity[] } = {},
): PiiAnalyzer {
  return new PiiAnalyzer({ recognizers: DEFAULT_RECOGNIZERS, ...opts });
}
