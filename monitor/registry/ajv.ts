import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/**
 * One ajv setup for contracts: JSON Schema 2020-12, every error reported
 * (allErrors) so one event yields one finding per problem, formats from
 * ajv-formats. strict is off because contract authors may annotate schemas
 * with their own keywords (x-*, examples).
 */
export function createAjv(): Ajv2020 {
  // logger: false, since ajv's warnings go to the console and quote the schema (an unknown format's name).
  const ajv = new Ajv2020({
    allErrors: true,
    strict: false,
    useDefaults: false,
    messages: true,
    logger: false,
  });
  addFormats.default(ajv);
  return ajv;
}
