// Drawing the conversation list's rows (ConversationList.svelte). The rows'
// elements are made once per slot of the recycled pool (listState.slotCells)
// and never change shape; while scrolling, a row that takes a slot over
// writes its text and attributes straight into that slot's elements, and
// only the values that differ from what the element shows. This is what the
// template did through Svelte's reactivity, without a reactive node per row
// and per value: a fast scroll brings in a window of new rows every frame,
// and that bookkeeping (and its garbage) was a third of the frame's script.

import { channelStrokes } from './channelIcons';
import type { ConversationView } from './types';

/** What every row is drawn with, besides its conversation. */
export interface RowContext {
  rowHeight: number;
  current: string | null;
  checked: ReadonlySet<string>;
  /** Some row is checked: every checkbox shows. */
  selecting: boolean;
  /** aria-setsize: the list's length once all of it is loaded, else -1. */
  setSize: number;
  /** The row whose time shows its exact date (the pointer is on it). */
  hovered: number;
  colors: ReadonlyMap<string, string>;
  relative: (iso: string) => string;
  exact: (iso: string) => string;
  channelName: (channel: string) => string;
  unknownContact: string;
  noSubject: string;
}

/** What a row's elements show now (to write only what differs). */
interface Shown {
  id: string;
  index: number;
  current: boolean;
  unread: boolean;
  checked: boolean;
  size: number;
  status: string;
  visible: boolean;
  who: string;
  channel: string;
  at: string;
  when: string;
  title: string;
  subject: string;
  chips: string[];
  dots: string[];
  preview: string;
}

/** The elements of one row, found once, and what they show. */
interface Parts {
  check: HTMLInputElement;
  who: Text;
  icon: SVGElement;
  iconTitle: Text;
  paths: SVGPathElement[];
  when: HTMLElement;
  whenText: Text;
  subject: Text;
  chips: HTMLElement[];
  dots: HTMLElement[];
  chipText: Text[];
  preview: Text;
  shown: Shown;
}

const parts = new WeakMap<HTMLElement, Parts>();

// textIn gives el one text node to rewrite (its data) from then on.
function textIn(el: Element): Text {
  const t = document.createTextNode('');
  el.replaceChildren(t);
  return t;
}

function partsOf(row: HTMLElement): Parts {
  let p = parts.get(row);
  if (!p) {
    const chips = [...row.querySelectorAll<HTMLElement>('.label-chip')];
    const when = row.querySelector<HTMLElement>('time')!;
    p = {
      check: row.querySelector('input')!,
      who: textIn(row.querySelector('.who')!),
      icon: row.querySelector('svg')!,
      iconTitle: textIn(row.querySelector('svg title')!),
      paths: [...row.querySelectorAll<SVGPathElement>('svg path')],
      when,
      whenText: textIn(when),
      subject: textIn(row.querySelector('.subject')!),
      chips,
      dots: chips.map((c) => c.querySelector<HTMLElement>('.dot')!),
      chipText: chips.map((c) => c.appendChild(document.createTextNode(''))),
      preview: textIn(row.querySelector('.line3')!),
      shown: {
        id: '',
        index: -1,
        current: false,
        unread: false,
        checked: false,
        size: NaN,
        status: '',
        visible: false,
        who: '',
        channel: '',
        at: '',
        when: '',
        title: '',
        subject: '',
        chips: chips.map(() => ''),
        dots: chips.map(() => ''),
        preview: '',
      },
    };
    parts.set(row, p);
  }
  return p;
}

/** drawRow makes row show conversation c at position index, writing only
 * what differs from what it shows. */
export function drawRow(row: HTMLElement, index: number, c: ConversationView, x: RowContext): void {
  const p = partsOf(row);
  const s = p.shown;
  const current = c.id === x.current;
  const checked = x.checked.has(c.id);
  const unread = c.unread_count > 0;
  if (s.current !== current) {
    s.current = current;
    row.classList.toggle('current', current);
    row.setAttribute('aria-selected', String(current));
  }
  if (s.unread !== unread) row.classList.toggle('unread', (s.unread = unread));
  if (s.checked !== checked) row.classList.toggle('checked', (s.checked = checked));
  if (s.index !== index) {
    s.index = index;
    row.style.transform = `translateY(${index * x.rowHeight}px)`;
    row.setAttribute('aria-posinset', String(index + 1));
  }
  if (s.id !== c.id) {
    s.id = c.id;
    row.id = 'row-' + c.id;
    row.dataset.id = c.id;
  }
  if (s.size !== x.setSize) row.setAttribute('aria-setsize', String((s.size = x.setSize)));
  if (s.status !== c.status) row.dataset.status = s.status = c.status;

  // The checkbox: its own state is compared, as a click changes it too.
  if (p.check.checked !== checked) p.check.checked = checked;
  const visible = x.selecting || checked;
  if (s.visible !== visible) p.check.classList.toggle('visible', (s.visible = visible));

  const who = c.contact.name || x.unknownContact;
  if (s.who !== who) p.who.data = s.who = who;
  if (s.channel !== c.channel) {
    s.channel = c.channel;
    const name = x.channelName(c.channel);
    p.icon.setAttribute('aria-label', name);
    p.icon.setAttribute('data-channel', c.channel);
    p.iconTitle.data = name;
    const strokes = channelStrokes(c.channel);
    for (let i = 0; i < p.paths.length; i++) {
      const k = strokes[i];
      const path = p.paths[i];
      // "M0 0": a lone point, which draws nothing (butt caps).
      path.setAttribute('d', k?.d ?? 'M0 0');
      path.setAttribute('stroke-width', String(k?.w ?? 1.3));
      if (k?.round) path.setAttribute('stroke-linejoin', 'round');
      else path.removeAttribute('stroke-linejoin');
    }
  }
  const at = c.last_message_at;
  if (s.at !== at) p.when.setAttribute('datetime', (s.at = at));
  const when = x.relative(at);
  if (s.when !== when) p.whenText.data = s.when = when;
  const title = x.hovered === index ? x.exact(at) : '';
  if (s.title !== title) {
    s.title = title;
    if (title) p.when.setAttribute('title', title);
    else p.when.removeAttribute('title');
  }

  const subject = c.subject || c.preview || x.noSubject;
  if (s.subject !== subject) p.subject.data = s.subject = subject;
  for (let i = 0; i < p.chips.length; i++) {
    const l = c.labels[i] ?? '';
    if (s.chips[i] !== l) {
      s.chips[i] = l;
      p.chips[i].hidden = !l;
      p.chipText[i].data = l;
    }
    const color = l ? x.colors.get(l) || 'var(--text-3)' : '';
    if (s.dots[i] !== color) p.dots[i].style.background = s.dots[i] = color;
  }
  const preview = c.subject ? c.preview : '';
  if (s.preview !== preview) p.preview.data = s.preview = preview;
}
