import { describe, expect, it } from 'vitest';
import { FRAME_SANDBOX, frameAttributes, frameCSP, frameDocument } from './frame.js';

describe('the message frame', () => {
  it('withholds every sandbox permission', () => {
    expect(FRAME_SANDBOX).toBe('');
    expect(frameAttributes(false).sandbox).toBe('');
  });

  it('allows no network until the user loads images', () => {
    const csp = frameCSP(false);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("form-action 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toMatch(/img-src data:(;|$)/);
    expect(csp).not.toMatch(/https?:/);
  });

  it('lets only images through once allowed', () => {
    const csp = frameCSP(true);
    expect(csp).toContain('img-src data: https: http:');
    expect(csp).toContain("connect-src 'none'");
    expect(csp).toContain("font-src 'none'");
  });

  it('puts the policy first in the document, before the body', () => {
    const doc = frameDocument('<p>hi</p>');
    const meta = doc.indexOf('http-equiv="Content-Security-Policy"');
    expect(meta).toBeGreaterThan(0);
    expect(meta).toBeLessThan(doc.indexOf('<body>'));
    expect(doc).toContain("content=\"default-src 'none'");
    expect(doc.endsWith('<body><p>hi</p></body></html>')).toBe(true);
  });
});
