// The signature rule is written twice, here for the composer and in Go for
// `tidings reply` (backend/inbox/signature.go); both run the same cases.
import { describe, expect, it } from 'vitest';
import { signatureBlock } from './writing';
import raw from '../../../backend/inbox/testdata/signature_blocks.json?raw';

const cases = JSON.parse(raw) as {
  name: string;
  signature: string;
  email: boolean;
  block: string;
}[];

describe('signature blocks, the cases Go runs too', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(0));
  for (const c of cases) {
    it(c.name, () => expect(signatureBlock(c.signature, c.email)).toBe(c.block));
  }
});
