import { sha256 } from '@noble/hashes/sha2.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bech32, bech32m } from 'bech32';
import { hasContext, withContext } from '../context.js';
import type { PiiSpan, Recognizer } from '../recognizer.js';
import type { TextView } from '../text-view.js';

/** An address whose checksum holds: one random string in 2^32 (base58, EIP-55) or 2^30 (bech32) passes. */
const VALIDATED_SCORE = 0.95;
/**
 * `0x` + 40 hex digits in one case carries no checksum, but nothing else
 * common is written that way, so it is reported on its shape alone.
 */
const UNCHECKED_ETH_SCORE = 0.85;

const CONTEXT = ['wallet', 'bitcoin', 'btc', 'ethereum', 'eth', 'crypto', 'address', 'send', 'pay'];

/** Base58check P2PKH and P2SH addresses are 25 bytes, written in 25 to 34 characters. */
const BASE58_MIN = 25;
const BASE58_MAX = 34;
/** Segwit addresses: `bc1` + version + program of 2 to 40 bytes + 6-character checksum. */
const BECH32_MIN = 14;
const BECH32_MAX = 74;
const ETH_LENGTH = 42;

const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const BASE58_INDEX = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE58_ALPHABET.length; i++) BASE58_INDEX[BASE58_ALPHABET.charCodeAt(i)] = i;

/** Base58 (Bitcoin alphabet) to bytes, or undefined on a character outside it. Inputs are at most 34 characters. */
export function base58Decode(s: string): Uint8Array | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let carry = c < 128 ? BASE58_INDEX[c]! : -1;
    if (carry < 0) return undefined;
    // bytes holds the number little-endian: multiply by 58 and add the digit.
    for (let j = 0; j < bytes.length; j++) {
      carry += bytes[j]! * 58;
      bytes[j] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  // Each leading '1' stands for a leading zero byte.
  for (let i = 0; i < s.length && s[i] === '1'; i++) bytes.push(0);
  return Uint8Array.from(bytes.reverse());
}

/** A mainnet P2PKH (`1`, version 0x00) or P2SH (`3`, version 0x05) address with a valid double-SHA-256 checksum. */
export function base58AddressValid(s: string): boolean {
  if (s.length < BASE58_MIN || s.length > BASE58_MAX) return false;
  const version = s[0] === '1' ? 0x00 : s[0] === '3' ? 0x05 : -1;
  if (version < 0) return false;
  const bytes = base58Decode(s);
  if (bytes?.length !== 25 || bytes[0] !== version) return false;
  const check = sha256(sha256(bytes.subarray(0, 21)));
  for (let i = 0; i < 4; i++) if (check[i] !== bytes[21 + i]) return false;
  return true;
}

/**
 * A mainnet segwit address (BIP-173, BIP-350): witness version 0 in bech32
 * with a 20- or 32-byte program, versions 1 to 16 in bech32m with 2 to 40 bytes.
 */
export function segwitAddressValid(s: string): boolean {
  if (s.length < BECH32_MIN || s.length > BECH32_MAX) return false;
  if (s.slice(0, 3).toLowerCase() !== 'bc1') return false;
  const v0 = bech32.decodeUnsafe(s, BECH32_MAX);
  const decoded = v0 ?? bech32m.decodeUnsafe(s, BECH32_MAX);
  if (decoded?.prefix !== 'bc' || decoded.words.length === 0) return false;
  const version = decoded.words[0]!;
  if (version > 16) return false;
  // Version 0 must use bech32 and 1+ bech32m: a taproot address in bech32 is a known mistake that loses funds.
  if ((version === 0) !== (v0 !== undefined)) return false;
  const program = bech32.fromWordsUnsafe(decoded.words.slice(1));
  if (!program || program.length < 2 || program.length > 40) return false;
  return version !== 0 || program.length === 20 || program.length === 32;
}

/** EIP-55: a mixed-case address capitalizes each hex letter whose keccak-256 nibble is 8 or more. */
export function eip55Valid(address: string): boolean {
  const hex = address.slice(2);
  const lower = hex.toLowerCase();
  const hash = keccak_256(new TextEncoder().encode(lower));
  for (let i = 0; i < 40; i++) {
    const ch = hex[i]!;
    if (ch === lower[i] && (ch < 'a' || ch > 'f')) continue; // a digit has no case
    const nibble = (hash[i >> 1]! >> (i % 2 === 0 ? 4 : 0)) & 0x0f;
    const upper = ch !== lower[i];
    if (upper !== nibble >= 8) return false;
  }
  return true;
}

/** The score of an `0x` address token, or 0 when it is not one. */
function ethScore(token: string): number {
  if (token.length !== ETH_LENGTH || token[0] !== '0' || (token[1] !== 'x' && token[1] !== 'X')) return 0;
  const hex = token.slice(2);
  if (!/^[0-9a-fA-F]{40}$/.test(hex)) return 0;
  if (hex === hex.toLowerCase() || hex === hex.toUpperCase()) return UNCHECKED_ETH_SCORE;
  return eip55Valid(token) ? VALIDATED_SCORE : 0;
}

/** The score of one alphanumeric token as a wallet address, or 0. */
function tokenScore(token: string): number {
  const c = token[0];
  if (c === '1' || c === '3') return base58AddressValid(token) ? VALIDATED_SCORE : 0;
  if (c === 'b' || c === 'B') return segwitAddressValid(token) ? VALIDATED_SCORE : 0;
  if (c === '0') return ethScore(token);
  return 0;
}

/**
 * Every address is one maximal alphanumeric token, so the text is cut into
 * tokens in one pass and only tokens of an address's length and first
 * character are decoded.
 */
function scanWallets(view: TextView): PiiSpan[] {
  const text = view.text;
  // Every address form holds a digit (`1`, `3`, `bc1`, `0x`): only such tokens are tried.
  const words = view.digitWords;
  const spans: PiiSpan[] = [];
  for (let w = 0; w < words.length; w += 2) {
    const start = words[w]!;
    const end = words[w + 1]!;
    const len = end - start;
    if (len < BASE58_MIN || len > BECH32_MAX) continue;
    const base = tokenScore(text.slice(start, end));
    if (base === 0) continue;
    const score = base >= VALIDATED_SCORE ? base : withContext(base, hasContext(view, start, end, CONTEXT));
    spans.push({ entity: 'CRYPTO', start, end, score });
  }
  return spans;
}

/** Bitcoin (base58check, bech32/bech32m segwit) and Ethereum (EIP-55) wallet addresses, checksums verified. */
export const cryptoWalletRecognizer: Recognizer = {
  name: 'crypto-wallet',
  entities: ['CRYPTO'],
  // Every address form holds at least one digit (`1`, `3`, `bc1`, `0x`).
  applies: (view) => view.digits > 0 && view.text.length >= BASE58_MIN,
  scan: scanWallets,
};
