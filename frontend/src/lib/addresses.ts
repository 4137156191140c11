// Recipient fields: "Ann <ann@x.example>, \"Lee, Grace\" <g@x.example>, b@y".

/** splitAddresses cuts a recipient field at commas and semicolons outside
 * quotes and angle brackets; empty parts are dropped. */
export function splitAddresses(field: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let angle = false;
  for (const ch of field) {
    if (ch === '"' && !angle) quoted = !quoted;
    else if (ch === '<' && !quoted) angle = true;
    else if (ch === '>' && !quoted) angle = false;
    if ((ch === ',' || ch === ';') && !quoted && !angle) {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

const EMAIL = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;

/** addressOf returns the bare address of "Name <addr>" or "addr". */
export function addressOf(s: string): string {
  const m = /<([^>]*)>\s*$/.exec(s);
  return (m ? m[1] : s).trim();
}

/** badAddresses lists the parts of a field that are not email addresses, so
 * the composer can point at them before the user presses Send. */
export function badAddresses(field: string): string[] {
  return splitAddresses(field).filter((p) => !EMAIL.test(addressOf(p)));
}

/** joinAddresses writes a list back as a field. */
export function joinAddresses(list: readonly string[]): string {
  return list.join(', ');
}
