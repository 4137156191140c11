// Plain-text message bodies: escaped first, then links made clickable in the
// escaped text, so no character of the message can become markup. Only
// http(s) and mailto links are made; the href is built from the already
// escaped text, so it cannot break out of its attribute.

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** escapeHtml makes text safe to put in HTML content or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

// In escaped text: a URL runs until whitespace or an escaped <, >, " or '.
const URL_RE = /\b(?:https?:\/\/|www\.)(?:(?!&lt;|&gt;|&quot;|&#39;)[^\s])+/gi;
const EMAIL_RE = /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g;

// Trailing punctuation that ends a sentence rather than the URL.
function trimTrailing(url: string): [string, string] {
  let end = url.length;
  for (;;) {
    const rest = url.slice(0, end);
    const ch = rest[end - 1];
    if ('.,!?:'.includes(ch)) {
      end--;
      continue;
    }
    if (ch === ';' && !/&(?:amp|lt|gt|quot|#39);$/.test(rest)) {
      end--;
      continue;
    }
    if (ch === ')' && count(rest, '(') < count(rest, ')')) {
      end--;
      continue;
    }
    if (ch === ']' && count(rest, '[') < count(rest, ']')) {
      end--;
      continue;
    }
    break;
  }
  return [url.slice(0, end), url.slice(end)];
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}

/** linkifyEscaped turns URLs and email addresses in already escaped text
 * into links. The links carry data-external so a click handler opens them
 * in the system browser instead of navigating the window. */
export function linkifyEscaped(escaped: string): string {
  let out = '';
  let last = 0;
  for (const m of escaped.matchAll(URL_RE)) {
    const start = m.index ?? 0;
    const [url, tail] = trimTrailing(m[0]);
    out += linkEmails(escaped.slice(last, start));
    const href = /^www\./i.test(url) ? `https://${url}` : url;
    out += `<a href="${href}" data-external title="${href}">${url}</a>${tail}`;
    last = start + m[0].length;
  }
  return out + linkEmails(escaped.slice(last));
}

function linkEmails(escaped: string): string {
  return escaped.replace(EMAIL_RE, (addr) => `<a href="mailto:${addr}" data-external title="mailto:${addr}">${addr}</a>`);
}

/** linkify escapes plain text and makes its links clickable. */
export function linkify(text: string): string {
  return linkifyEscaped(escapeHtml(text));
}

/** A block of a plain-text body: what the writer wrote, the text they quoted,
 * or their signature. Quotes and signatures start folded. */
export interface BodyBlock {
  kind: 'text' | 'quote' | 'signature';
  text: string;
}

const QUOTE_INTRO = /^(On .+ wrote:|Le .+ a écrit ?:|Am .+ schrieb .+:|El .+ escribió:)$/i;
const ORIGINAL = /^-{2,}\s*(Original Message|Forwarded message)\s*-{2,}$/i;

/** splitBody cuts a plain-text body into text, quoted history (lines starting
 * with ">" and the "On ... wrote:" line before them) and the signature after
 * a "-- " line (RFC 3676 section 4.3). */
export function splitBody(text: string): BodyBlock[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const blocks: BodyBlock[] = [];
  const push = (kind: BodyBlock['kind'], line: string) => {
    const prev = blocks[blocks.length - 1];
    if (prev && prev.kind === kind) prev.text += '\n' + line;
    else blocks.push({ kind, text: line });
  };
  // nextText[i] is the first non-blank line after line i.
  const nextText: string[] = new Array(lines.length).fill('');
  for (let i = lines.length - 2; i >= 0; i--) {
    nextText[i] = lines[i + 1].trim() !== '' ? lines[i + 1] : nextText[i + 1];
  }
  let inSignature = false;
  let restQuoted = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (restQuoted) {
      push('quote', line);
      continue;
    }
    if (inSignature) {
      push('signature', line);
      continue;
    }
    if (line === '-- ' || line === '--') {
      inSignature = true;
      push('signature', line);
      continue;
    }
    if (ORIGINAL.test(line.trim())) {
      restQuoted = true;
      push('quote', line);
      continue;
    }
    const isQuote = /^\s*>/.test(line);
    const introducesQuote = QUOTE_INTRO.test(line.trim()) && /^\s*>/.test(nextText[i]);
    // Blank lines between quoted lines stay with the quote.
    const prev = blocks[blocks.length - 1];
    const blankInQuote = line.trim() === '' && prev?.kind === 'quote' && /^\s*>/.test(nextText[i]);
    push(isQuote || introducesQuote || blankInQuote ? 'quote' : 'text', line);
  }
  for (const b of blocks) b.text = b.text.replace(/^\n+|\s+$/g, '');
  return blocks.filter((b) => b.text !== '');
}
