// Pane widths: clamped to sensible bounds, remembered between runs.

export interface Layout {
  sidebar: number;
  list: number;
  customer: number;
  customerHidden: boolean;
}

export const defaultLayout: Layout = { sidebar: 200, list: 360, customer: 260, customerHidden: false };

const bounds: Record<'sidebar' | 'list' | 'customer', [number, number]> = {
  sidebar: [150, 360],
  list: [260, 640],
  customer: [200, 420],
};

/** clampPane keeps a pane's width within its bounds. */
export function clampPane(pane: keyof typeof bounds, width: number): number {
  const [lo, hi] = bounds[pane];
  if (!Number.isFinite(width)) return defaultLayout[pane];
  return Math.round(Math.min(hi, Math.max(lo, width)));
}

/** parseLayout reads a saved layout, falling back to defaults field by field. */
export function parseLayout(saved: string | null | undefined): Layout {
  let v: Partial<Layout> = {};
  try {
    v = saved ? (JSON.parse(saved) as Partial<Layout>) : {};
  } catch {
    v = {};
  }
  if (typeof v !== 'object' || v === null) v = {};
  return {
    sidebar: clampPane('sidebar', Number(v.sidebar ?? defaultLayout.sidebar)),
    list: clampPane('list', Number(v.list ?? defaultLayout.list)),
    customer: clampPane('customer', Number(v.customer ?? defaultLayout.customer)),
    customerHidden: v.customerHidden === true,
  };
}
