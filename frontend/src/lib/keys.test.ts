import { describe, expect, it } from 'vitest';
import { KeyMap, type KeyInput } from './keys';

describe('KeyMap', () => {
  const cases: [string, KeyInput, string | null][] = [
    ['j moves down', { key: 'j' }, 'next'],
    ['k moves up', { key: 'k' }, 'prev'],
    ['arrows move too', { key: 'ArrowDown' }, 'next'],
    ['Enter opens', { key: 'Enter' }, 'open'],
    ['e closes', { key: 'e' }, 'close'],
    ['? shows the sheet', { key: '?', shiftKey: true }, 'help'],
    ['/ searches', { key: '/' }, 'search'],
    ['s snoozes', { key: 's' }, 'snooze'],
    ['l labels', { key: 'l' }, 'label'],
    ['n adds a note', { key: 'n' }, 'note'],
    ['r replies', { key: 'r' }, 'reply'],
    ['x selects', { key: 'x' }, 'toggleSelect'],
    ['ctrl+a selects all', { key: 'a', ctrlKey: true }, 'selectAll'],
    ['typing in a field is not a shortcut', { key: 'j', inField: true }, null],
    ['Escape leaves a field', { key: 'Escape', inField: true }, 'escape'],
    ['ctrl+j is not ours', { key: 'j', ctrlKey: true }, null],
    ['alt+e is not ours', { key: 'e', altKey: true }, null],
    ['unknown keys do nothing', { key: 'q' }, null],
  ];
  for (const [name, input, want] of cases) {
    it(name, () => expect(new KeyMap().action(input)).toBe(want));
  }

  it('g then a letter goes to a view', () => {
    const m = new KeyMap();
    expect(m.action({ key: 'g' })).toBeNull();
    expect(m.action({ key: 'c' })).toBe('goClosed');
    // The g is used up: c alone composes.
    expect(m.action({ key: 'c' })).toBe('compose');
  });

  it('g then an unknown key does nothing and resets', () => {
    const m = new KeyMap();
    m.action({ key: 'g' });
    expect(m.action({ key: 'z' })).toBeNull();
    expect(m.action({ key: 'j' })).toBe('next');
  });
});
