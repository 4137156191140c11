// The composer's writing aids, kept free of the DOM so they are unit tested:
// signatures (inserted under "-- " for email, swapped when the sending
// account changes without touching what the user typed), canned replies
// (filtering the picker, inserting at the cursor, fields left unfilled) and
// attachments (size checks against the channel's limit).

import { size } from './channels';

/** app.SignatureView: one account's signature in the settings. */
export interface SignatureView {
  account_id: string;
  account_name: string;
  channel: string;
  address: string;
  signature: string;
}

/** app.CannedReplyView */
export interface CannedReply {
  id: string;
  name: string;
  body: string;
  fields: string[];
  updated_at?: string;
}

/** app.FillRequest */
export interface FillRequest {
  canned_id: string;
  conversation_id: string;
  account_id: string;
  to: string[];
}

/** canned.Result: a filled canned reply; unfilled fields stay in text. */
export interface CannedFill {
  text: string;
  missing: string[];
  unknown: string[];
}

/** app.DraftFileView: a file attached to a draft. */
export interface DraftFile {
  id: string;
  name: string;
  content_type: string;
  size: number;
}

/** app.ComposeAccount: an account a new message can go out from. */
export interface ComposeAccount {
  id: string;
  name: string;
  address: string;
}

/** The separator line before an email signature (RFC 3676 section 4.3). */
export const SIG_SEPARATOR = '-- ';

/** signatureBlock is what the composer writes into the body for a
 * signature: under "-- " for email, on its own for chats; "" for none. */
export function signatureBlock(signature: string, email: boolean): string {
  const s = signature.replace(/\r\n/g, '\n').replace(/\s+$/, '');
  if (!s) return '';
  return email ? `\n\n${SIG_SEPARATOR}\n${s}` : `\n\n${s}`;
}

/** withSignature puts a signature block above whatever the body starts
 * with (empty for a reply, the forwarded message for a forward): the user
 * writes above it. */
export function withSignature(body: string, block: string): string {
  if (!block) return body;
  return block + body;
}

/** swapSignature replaces the old account's signature block by the new
 * one. If the user changed or removed the old block, the body is theirs:
 * it is returned unchanged (and the new block is not forced in). */
export function swapSignature(body: string, oldBlock: string, newBlock: string): { body: string; swapped: boolean } {
  if (oldBlock === newBlock) return { body, swapped: true };
  if (!oldBlock) {
    // Nothing was inserted: add the new one, still below the user's text.
    if (!newBlock) return { body, swapped: true };
    const at = body.indexOf('\n\n---------- Forwarded message');
    if (at >= 0) return { body: body.slice(0, at) + newBlock + body.slice(at), swapped: true };
    return { body: body.replace(/\s+$/, '') + newBlock, swapped: true };
  }
  const i = body.lastIndexOf(oldBlock);
  if (i < 0) return { body, swapped: false };
  return { body: body.slice(0, i) + newBlock + body.slice(i + oldBlock.length), swapped: true };
}

/** filterCanned keeps the canned replies whose name or text has every word
 * of the query, names that start with it first. */
export function filterCanned(list: CannedReply[], query: string): CannedReply[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return list;
  const q = query.trim().toLowerCase();
  return list
    .filter((c) => {
      const hay = `${c.name}\n${c.body}`.toLowerCase();
      return words.every((w) => hay.includes(w));
    })
    .sort((a, b) => Number(!a.name.toLowerCase().startsWith(q)) - Number(!b.name.toLowerCase().startsWith(q)));
}

/** insertAt puts text into body at [start, end) (the selection) and
 * returns the new body and where the cursor goes. */
export function insertAt(body: string, start: number, end: number, text: string): { body: string; cursor: number } {
  const s = Math.max(0, Math.min(start, body.length));
  const e = Math.max(s, Math.min(end, body.length));
  return { body: body.slice(0, s) + text + body.slice(e), cursor: s + text.length };
}

/** slashAt says whether a "/" typed at pos opens the canned replies: at
 * the start of the body or of a line, so "and/or" stays text. */
export function slashOpensPicker(body: string, pos: number): boolean {
  return pos === 0 || body[pos - 1] === '\n';
}

/** fieldsLeft lists the fields from inserted canned replies that are
 * still in the body as "{name}": the user must fill them before sending. */
export function fieldsLeft(body: string, fields: string[]): string[] {
  return [...new Set(fields)].filter((f) => body.includes(`{${f}}`));
}

/** fileProblem says why a file cannot join the draft (the Go side checks
 * again), or '' when it can. For email the files count together. */
export function fileProblem(
  file: { name: string; size: number },
  have: { size: number }[],
  opts: { attachments: boolean; limit: number; email: boolean; channel: string },
  s: {
    noFiles: (channel: string) => string;
    empty: (name: string) => string;
    tooLarge: (name: string, size: string, channel: string, limit: string) => string;
    tooMuch: (total: string, limit: string) => string;
  },
): string {
  if (!opts.attachments) return s.noFiles(opts.channel);
  if (file.size === 0) return s.empty(file.name);
  if (opts.limit > 0 && file.size > opts.limit) return s.tooLarge(file.name, size(file.size), opts.channel, size(opts.limit));
  const total = have.reduce((n, f) => n + f.size, 0) + file.size;
  if (opts.email && opts.limit > 0 && total > opts.limit) return s.tooMuch(size(total), size(opts.limit));
  return '';
}

/** base64 encodes bytes for the bound call ([]byte travels as base64). */
export function base64(bytes: Uint8Array): string {
  let out = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    out += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(out);
}
