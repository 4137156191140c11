import { describe, expect, it } from 'vitest';
import { escapeHtml, linkify, splitBody } from './linkify';

describe('escapeHtml', () => {
  it('escapes the five characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

describe('linkify', () => {
  const cases: [string, string, string][] = [
    ['plain text is only escaped', 'a < b & c', 'a &lt; b &amp; c'],
    [
      'an http link',
      'see https://shop.example/track?id=1&x=2 now',
      'see <a href="https://shop.example/track?id=1&amp;x=2" data-external title="https://shop.example/track?id=1&amp;x=2">https://shop.example/track?id=1&amp;x=2</a> now',
    ],
    [
      'trailing punctuation stays outside',
      'go to https://a.example/x.',
      'go to <a href="https://a.example/x" data-external title="https://a.example/x">https://a.example/x</a>.',
    ],
    [
      'a bracketed link',
      '(https://a.example/b)',
      '(<a href="https://a.example/b" data-external title="https://a.example/b">https://a.example/b</a>)',
    ],
    [
      'balanced parentheses stay in the link',
      'https://en.example/wiki/Foo_(bar)',
      '<a href="https://en.example/wiki/Foo_(bar)" data-external title="https://en.example/wiki/Foo_(bar)">https://en.example/wiki/Foo_(bar)</a>',
    ],
    [
      'www gets https',
      'www.shop.example',
      '<a href="https://www.shop.example" data-external title="https://www.shop.example">www.shop.example</a>',
    ],
    [
      'an email address',
      'mail bob@shop.example!',
      'mail <a href="mailto:bob@shop.example" data-external title="mailto:bob@shop.example">bob@shop.example</a>!',
    ],
    ['javascript: is never a link', 'javascript:alert(1)', 'javascript:alert(1)'],
    ['data: is never a link', 'data:text/html,<script>x</script>', 'data:text/html,&lt;script&gt;x&lt;/script&gt;'],
  ];
  for (const [name, input, want] of cases) {
    it(name, () => expect(linkify(input)).toBe(want));
  }

  it('a quote cannot break out of the href', () => {
    const out = linkify('https://a.example/"onmouseover="alert(1)');
    expect(out).toBe(
      '<a href="https://a.example/" data-external title="https://a.example/">https://a.example/</a>&quot;onmouseover=&quot;alert(1)',
    );
  });

  it('markup around a link stays text and every link shows its real address', () => {
    const out = linkify('<a href="https://evil.example">https://good.example</a>');
    expect(out.startsWith('&lt;a href=&quot;')).toBe(true);
    const anchors = [...out.matchAll(/<a href="([^"]*)"[^>]*>([^<]*)<\/a>/g)];
    expect(anchors.map((m) => m[2])).toEqual(['https://evil.example', 'https://good.example']);
    for (const m of anchors) expect(m[1]).toBe(m[2]);
  });

  it('produces no tag but <a> from hostile text', () => {
    const hostile = '<img src=x onerror=alert(1)><svg/onload=alert(1)><script>alert(1)</script> https://x.example/<b>';
    const tags = [...linkify(hostile).matchAll(/<\/?([a-z]+)/gi)].map((m) => m[1].toLowerCase());
    expect(new Set(tags)).toEqual(new Set(['a']));
  });
});

describe('splitBody', () => {
  it('folds quoted history with its intro line', () => {
    const b = splitBody('Thanks!\n\nOn Mon, 3 Mar 2026 at 10:00, Alice <a@x.example> wrote:\n> Hi\n>\n> bye');
    expect(b.map((x) => x.kind)).toEqual(['text', 'quote']);
    expect(b[0].text).toBe('Thanks!');
    expect(b[1].text.startsWith('On Mon')).toBe(true);
  });
  it('finds the signature after "-- "', () => {
    const b = splitBody('Hello\n-- \nBluebird Bikes\n01234');
    expect(b).toEqual([
      { kind: 'text', text: 'Hello' },
      { kind: 'signature', text: '-- \nBluebird Bikes\n01234' },
    ]);
  });
  it('keeps interleaved replies in order', () => {
    const b = splitBody('> question one\nanswer one\n> question two\nanswer two');
    expect(b.map((x) => x.kind)).toEqual(['quote', 'text', 'quote', 'text']);
  });
  it('an Outlook original message quotes the rest', () => {
    const b = splitBody('Yes.\n-----Original Message-----\nFrom: x\nHi');
    expect(b.map((x) => x.kind)).toEqual(['text', 'quote']);
  });
  it('"wrote:" without a quote after it is text', () => {
    expect(splitBody('On Monday Bob wrote: nothing').map((x) => x.kind)).toEqual(['text']);
  });
  it('handles CRLF', () => {
    expect(splitBody('a\r\n> b').map((x) => x.kind)).toEqual(['text', 'quote']);
  });
});
