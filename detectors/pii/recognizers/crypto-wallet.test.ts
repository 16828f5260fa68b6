import { describe, expect, it } from 'vitest';
import { TextView } from '../text-view.js';
import {
  base58AddressValid,
  cryptoWalletRecognizer,
  eip55Valid,
  segwitAddressValid,
} from './crypto-wallet.js';

function scan(text: string) {
  const view = new TextView(text);
  if (!cryptoWalletRecognizer.applies(view)) return [];
  return cryptoWalletRecognizer.scan(view).map((s) => ({ ...s, text: text.slice(s.start, s.end) }));
}

// Public test values only: the genesis block's address, the Bitcoin wiki's P2SH example, BIP-173/BIP-350 and EIP-55 vectors.
const GENESIS = '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa';
const P2SH = '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy';
const P2WPKH = 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4';
const P2WSH = 'bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3';
const TAPROOT = 'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0';
const ETH = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';

describe('cryptoWalletRecognizer', () => {
  it('finds a P2PKH address in a chat turn, span the address only', () => {
    expect(scan(`Send it to ${GENESIS}, thanks!`)).toEqual([
      { entity: 'CRYPTO', start: 11, end: 45, score: 0.95, text: GENESIS },
    ]);
  });

  it('finds P2SH, segwit v0 (20 and 32 bytes), taproot and uppercase bech32', () => {
    const text = `a ${P2SH} b ${P2WPKH} c ${P2WSH} d ${TAPROOT} e BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4.`;
    expect(scan(text).map((s) => s.text)).toEqual([
      P2SH,
      P2WPKH,
      P2WSH,
      TAPROOT,
      'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4',
    ]);
  });

  it('finds EIP-55 checksummed, all-lowercase and all-uppercase Ethereum addresses', () => {
    const text = `pay ${ETH} or 0xde709f2102306220921060314715629080e2fb77 or 0x52908400098527886E0F7030069857D2E4169EE7`;
    expect(scan(text).map((s) => [s.start, s.end, s.score])).toEqual([
      [4, 46, 0.95],
      // Single case carries no checksum: 0.85, raised by context.
      [50, 92, 0.85],
      [96, 138, 0.85],
    ]);
    expect(scan('my eth wallet: 0xde709f2102306220921060314715629080e2fb77')[0]?.score).toBe(1);
  });

  it('finds an address inside a URL path or after a label', () => {
    expect(scan(`https://example.com/address/${GENESIS}?x=1`).map((s) => s.text)).toEqual([GENESIS]);
    expect(scan(`btc:${P2WPKH}`).map((s) => s.start)).toEqual([4]);
  });

  it('rejects a base58 address with a broken checksum or the wrong version', () => {
    expect(scan('to 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb now')).toEqual([]);
    // A testnet address is not mainnet money.
    expect(scan('to mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn now')).toEqual([]);
    expect(base58AddressValid('1A1zP1eP5QGefi2DMPTfTL5SLmv7Divf0a')).toBe(false); // 0 is not base58
  });

  it('rejects bech32 with a bad checksum, a taproot address encoded as bech32, and testnet', () => {
    expect(scan('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5')).toEqual([]);
    // BIP-350's invalid vector: witness v1 with a bech32 (not bech32m) checksum.
    expect(segwitAddressValid('bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd')).toBe(false);
    expect(scan('tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7')).toEqual([]);
    // Mixed case is invalid bech32.
    expect(scan('bc1qW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4')).toEqual([]);
  });

  it('rejects mixed-case Ethereum-like hex with a bad EIP-55 checksum', () => {
    expect(eip55Valid('0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359')).toBe(true);
    expect(scan('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD')).toEqual([]);
    expect(scan('0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed')).toEqual([]);
  });

  it('rejects hex of other lengths: transaction hashes and keys are not addresses', () => {
    expect(scan(`0x${'ab'.repeat(32)}`)).toEqual([]);
    expect(scan(`${ETH}00`)).toEqual([]);
    expect(scan(`z${ETH}`)).toEqual([]);
  });

  it('rejects ordinary ids and words', () => {
    expect(scan('order 1234567890123456789012345 ref 3AbcdefghijkmnopqrstuvwxyzABCD')).toEqual([]);
  });

  it('stays linear on adversarial 1 MB inputs', () => {
    expect(scan('1'.repeat(1 << 20))).toEqual([]);
    expect(scan('bc1'.repeat(349_525))).toEqual([]);
    expect(scan('bc1 '.repeat(1 << 18))).toEqual([]);
    expect(scan(`${'bc1q'.repeat(10)} `.repeat(1 << 14))).toEqual([]);
    expect(scan(`${'1A1zP1eP5QGefi2DMPTfTL5SLmv7Divf'} `.repeat(1 << 15))).toEqual([]);
    expect(scan(`${GENESIS} `.repeat(1 << 15))).toHaveLength(1 << 15);
    expect(scan(`0x${'a'.repeat(40)} `.repeat(1 << 14))).toHaveLength(1 << 14);
  });
});
