// The channel icons' strokes (a 16 by 16 box, drawn with the text colour),
// shared by ChannelIcon.svelte and the conversation list's rows (which keep
// two paths per row and rewrite their attributes when a recycled row shows
// another channel, so scrolling creates and removes no SVG element).

/** One stroke of an icon: an SVG path, its width, and round joins. */
export type Stroke = { d: string; w?: number; round?: boolean };

const email: Stroke[] = [
  // A rounded rectangle (x 1.5, y 3.5, 13 by 9, radius 1.5) and the flap.
  { d: 'M3 3.5h10a1.5 1.5 0 0 1 1.5 1.5v6a1.5 1.5 0 0 1-1.5 1.5H3a1.5 1.5 0 0 1-1.5-1.5V5A1.5 1.5 0 0 1 3 3.5z' },
  { d: 'M2 4.5l6 4.5 6-4.5' },
];
const chat: Stroke[] = [{ d: 'M2 3.5h12v7.5H6l-3.5 2.5V11H2z', round: true }];
const strokes: Record<string, Stroke[]> = {
  email,
  telegram: [
    { d: 'M14.5 2.5L1.5 7.6l4 1.4 1.5 4.5 2.2-2.6 3.3 2.5z', round: true },
    { d: 'M5.5 9l7-5.2', w: 1.1 },
  ],
  whatsapp: chat,
  sms: chat,
  phone: [{ d: 'M4 1.8l2 3-1.3 1.4a8 8 0 0 0 5 5L11 9.9l3 2-1 2.3C7.5 14 2 8.5 1.8 3z', round: true }],
};
// Any other channel: a circle (centre 8,8, radius 5.5).
const other: Stroke[] = [{ d: 'M2.5 8a5.5 5.5 0 1 0 11 0a5.5 5.5 0 1 0-11 0z' }];

/** channelStrokes returns the strokes of channel's icon. */
export function channelStrokes(channel: string): Stroke[] {
  return strokes[channel] ?? other;
}
