import { describe, expect, it } from 'vitest';
import { baseName, dropAction, looksLikeMail, pathsArrived, pathsSince } from './fileDrop';

describe('dropped paths', () => {
  it('takes mail endings, folders and bare names as mail', () => {
    expect(looksLikeMail('/home/sam/Mail/Inbox.mbox', false)).toBe(true);
    expect(looksLikeMail('/home/sam/export.ZIP', false)).toBe(true);
    expect(looksLikeMail('/home/sam/.thunderbird/x/Mail/Local Folders/Inbox', false)).toBe(true);
    expect(looksLikeMail('/home/sam/Maildir.old', true)).toBe(true);
    expect(looksLikeMail('/home/sam/invoice.pdf', false)).toBe(false);
    expect(looksLikeMail('C:\\Users\\sam\\photo.png', false)).toBe(false);
    expect(baseName('/home/sam/Maildir/')).toBe('Maildir');
  });

  it('attaches on the composer, imports mail elsewhere, says when it is not mail', () => {
    // Stand-ins for elements: closest() finds the composer around the text box.
    const composer = { tagName: 'FORM' } as unknown as Element;
    const el = (inside: boolean) => ({ closest: (sel: string) => (inside && sel === '[data-drop="attach"]' ? composer : null) }) as unknown as Element;
    const inComposer = el(true);
    const elsewhere = el(false);
    const a = dropAction(inComposer, ['/tmp/invoice.pdf'], false);
    expect(a.kind).toBe('attach');
    expect(a.kind === 'attach' && a.target.tagName).toBe('FORM');
    expect(dropAction(elsewhere, ['/tmp/old.mbox', '/tmp/b.mbox'], false)).toEqual({ kind: 'import', path: '/tmp/old.mbox', more: 1 });
    expect(dropAction(elsewhere, ['/tmp/invoice.pdf'], false)).toEqual({ kind: 'notMail' });
    expect(dropAction(null, ['/tmp/Maildir'], true)).toEqual({ kind: 'import', path: '/tmp/Maildir', more: 0 });
    expect(dropAction(inComposer, [], false)).toEqual({ kind: 'none' });
  });

  it('remembers when paths came for a composer', () => {
    pathsArrived(1000);
    expect(pathsSince(900)).toBe(true);
    expect(pathsSince(1001)).toBe(false);
  });
});
