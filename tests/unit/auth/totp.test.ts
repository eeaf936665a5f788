import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, matchTotp, otpauthUri, totpAt } from '#app/auth/totp.server';

// RFC 6238 appendix B's SHA-1 seed, "12345678901234567890", and its published 8-digit codes (we use the last 6 digits).
const RFC_SECRET = base32Encode(Buffer.from('12345678901234567890', 'ascii'));
const RFC_VECTORS: Array<[number, string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP', () => {
  it('gives the RFC 6238 test vectors', () => {
    for (const [seconds, code] of RFC_VECTORS) {
      expect(totpAt(RFC_SECRET, new Date(seconds * 1000))).toBe(code.slice(-6));
    }
  });

  it('gives the RFC 4226 HOTP test vectors', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expected.forEach((code, counter) => expect(hotp(Buffer.from('12345678901234567890'), counter)).toBe(code));
  });

  it('round-trips base32 and reads the spaced, lower-case form people type', () => {
    const bytes = Buffer.from([0, 1, 2, 250, 251, 252, 253, 254, 255, 7]);
    const encoded = base32Encode(bytes);
    expect(base32Decode(encoded)).toEqual(bytes);
    expect(base32Decode(encoded.toLowerCase().replace(/(.{4})/g, '$1 '))).toEqual(bytes);
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
  });

  it('accepts a code one step either side and says which step it matched, refusing anything else', () => {
    const at = new Date(1_700_000_000_000);
    const previous = totpAt(RFC_SECRET, new Date(at.getTime() - 30_000));
    const step = Math.floor(at.getTime() / 30_000);
    expect(matchTotp(RFC_SECRET, totpAt(RFC_SECRET, at), at)).toBe(step);
    expect(matchTotp(RFC_SECRET, previous, at)).toBe(step - 1);
    expect(matchTotp(RFC_SECRET, totpAt(RFC_SECRET, new Date(at.getTime() - 90_000)), at)).toBeNull();
    expect(matchTotp(RFC_SECRET, '12345', at)).toBeNull();
    expect(matchTotp(RFC_SECRET, 'abcdef', at)).toBeNull();
    expect(matchTotp(RFC_SECRET, `${totpAt(RFC_SECRET, at).slice(0, 3)} ${totpAt(RFC_SECRET, at).slice(3)}`, at)).toBe(step);
  });

  it('writes the otpauth address authenticator apps read, with the account escaped', () => {
    const uri = otpauthUri({ issuer: 'City Workbench', account: 'ana+eval@city.gov', secret: 'ABC' });
    expect(uri).toBe('otpauth://totp/City%20Workbench:ana%2Beval%40city.gov?secret=ABC&issuer=City+Workbench&algorithm=SHA1&digits=6&period=30');
  });
});
