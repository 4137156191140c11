import { describe, expect, it } from 'vitest';
import { channelStrokes } from './channelIcons';

describe('channelStrokes', () => {
  // The list's rows keep two paths each (ConversationList.svelte): no icon
  // may need more.
  it('draws every channel, and an unknown one, with one or two strokes', () => {
    for (const ch of ['email', 'telegram', 'whatsapp', 'sms', 'phone', 'pigeon']) {
      const s = channelStrokes(ch);
      expect(s.length, ch).toBeGreaterThanOrEqual(1);
      expect(s.length, ch).toBeLessThanOrEqual(2);
      for (const x of s) expect(x.d, ch).toMatch(/^M/);
    }
  });
  it('an unknown channel gets the circle, not another channel', () => {
    expect(channelStrokes('pigeon')).not.toBe(channelStrokes('email'));
    expect(channelStrokes('pigeon')).toBe(channelStrokes('carrier'));
  });
});
