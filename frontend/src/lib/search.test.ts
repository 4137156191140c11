import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { caretAt, debounce, escapeHTML, formatBytes, isNetworkError, isOffline, snippetHTML } from './search';

describe('snippetHTML', () => {
  const cases: [string, { text: string; hit?: boolean }[] | null, string][] = [
    ['plain text', [{ text: 'hello world' }], 'hello world'],
    ['a hit is marked', [{ text: 'where is my ' }, { text: 'parcel', hit: true }, { text: '?' }], 'where is my <mark>parcel</mark>?'],
    ['markup in the text is escaped', [{ text: '<script>alert(1)</script> ' }, { text: '<b>', hit: true }], '&lt;script&gt;alert(1)&lt;/script&gt; <mark>&lt;b&gt;</mark>'],
    ['quotes and ampersands', [{ text: `"Tom" & 'Jerry'` }], '&quot;Tom&quot; &amp; &#39;Jerry&#39;'],
    ['a hit cannot close the mark', [{ text: '</mark><img src=x onerror=alert(1)>', hit: true }], '<mark>&lt;/mark&gt;&lt;img src=x onerror=alert(1)&gt;</mark>'],
    ['empty parts are dropped', [{ text: '', hit: true }, { text: 'x' }], 'x'],
    ['null is nothing', null, ''],
  ];
  for (const [name, parts, want] of cases) {
    it(name, () => expect(snippetHTML(parts)).toBe(want));
  }
  it('escapeHTML leaves no angle bracket', () => {
    expect(escapeHTML('<<>>&')).toBe('&lt;&lt;&gt;&gt;&amp;');
  });
});

describe('caretAt', () => {
  const cases: [string, string, number, number, { before: string; bad: string; after: string; column: number }][] = [
    ['an unclosed phrase', 'late "delivery', 5, 9, { before: 'late ', bad: '"delivery', after: '', column: 6 }],
    ['a stray OR at the end', 'helmet OR', 7, 2, { before: 'helmet ', bad: 'OR', after: '', column: 8 }],
    ['an unknown operator in the middle', 'a foo:bar b', 2, 4, { before: 'a ', bad: 'foo:', after: 'bar b', column: 3 }],
    ['a missing value past the end', 'from:', 5, 1, { before: 'from:', bad: ' ', after: '', column: 6 }],
    ['positions count characters, not UTF-16 units', '😀 café "x', 7, 2, { before: '😀 café ', bad: '"x', after: '', column: 8 }],
    ['out of range is clamped', 'abc', 99, 3, { before: 'abc', bad: ' ', after: '', column: 4 }],
    ['a negative position starts at 0', 'abc', -4, 0, { before: '', bad: 'a', after: 'bc', column: 1 }],
  ];
  for (const [name, q, pos, len, want] of cases) {
    it(name, () => expect(caretAt(q, pos, len)).toEqual(want));
  }
  it('the pieces put back together are the query', () => {
    const c = caretAt('to:anna "late parcel', 8, 12);
    expect(c.before + c.bad + c.after).toBe('to:anna "late parcel');
  });
});

describe('debounce', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('calls once with the last arguments after the pause', () => {
    const fn = vi.fn();
    const d = debounce(fn, 150);
    d('h');
    d('he');
    vi.advanceTimersByTime(100);
    d('hel');
    vi.advanceTimersByTime(149);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(fn).toHaveBeenCalledWith('hel');
  });
  it('cancel drops the pending call', () => {
    const fn = vi.fn();
    const d = debounce(fn, 50);
    d(1);
    d.cancel();
    vi.advanceTimersByTime(100);
    expect(fn).not.toHaveBeenCalled();
  });
  it('flush runs the pending call now, once', () => {
    const fn = vi.fn();
    const d = debounce(fn, 50);
    d(2);
    d.flush();
    expect(fn).toHaveBeenCalledWith(2);
    vi.advanceTimersByTime(100);
    expect(fn).toHaveBeenCalledTimes(1);
    d.flush();
    expect(fn).toHaveBeenCalledTimes(1);
  });
});

describe('offline', () => {
  const network = [
    'email: dial tcp: lookup imap.example.com: no such host',
    'dial tcp 10.0.0.1:993: connect: network is unreachable',
    'read tcp 1.2.3.4:5->6.7.8.9:993: i/o timeout',
    'Post "https://api.telegram.org/bot/getUpdates": dial tcp: lookup api.telegram.org: Temporary failure in name resolution',
    'connection reset by peer',
  ];
  const notNetwork = ['email: authentication failed: [AUTHENTICATIONFAILED] Invalid credentials', 'telegram: 401 Unauthorized', '', null];
  for (const m of network) it(`network: ${m}`, () => expect(isNetworkError(m)).toBe(true));
  for (const m of notNetwork) it(`not network: ${m}`, () => expect(isNetworkError(m)).toBe(false));

  it('the browser going offline is offline', () => {
    expect(isOffline({ online: false, failing: new Set(), accounts: 0 })).toBe(true);
  });
  it('every account failing on the network is offline', () => {
    expect(isOffline({ online: true, failing: new Set(['a', 'b']), accounts: 2 })).toBe(true);
  });
  it('one account of two failing is that account trouble', () => {
    expect(isOffline({ online: true, failing: new Set(['a']), accounts: 2 })).toBe(false);
  });
  it('an account reporting offline counts even when the sidebar has not listed it yet', () => {
    expect(isOffline({ online: true, failing: new Set(['a']), accounts: 0 })).toBe(true);
  });
  it('online with no accounts is online', () => {
    expect(isOffline({ online: true, failing: new Set(), accounts: 0 })).toBe(false);
  });
});

describe('formatBytes', () => {
  it('writes sizes for people', () => {
    expect([0, 999, 1500, 5_000_000, 25_500_000, 2e9].map(formatBytes)).toEqual(['0 B', '999 B', '2 KB', '5 MB', '25.5 MB', '2 GB']);
  });
});
