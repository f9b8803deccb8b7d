/**
 * What the exported maps share: the two themes, the font and the legend flow.
 */

export type MapTheme = 'light' | 'contrast';

export interface MapPalette {
  background: string;
  ink: string;
  muted: string;
  grid: string;
  columnFill: string;
  focusFill: string;
  band: string;
  median: string;
  nodeStroke: string;
  labelBackground: string;
  lineWidth: number;
}

/** Colours of the exported maps: "light" for papers, "contrast" (white on black, thicker lines) for projectors and low vision. */
export const MAP_PALETTES: Record<MapTheme, MapPalette> = {
  light: {
    background: '#ffffff',
    ink: '#1f2328',
    muted: '#545b64',
    grid: '#c9ced6',
    columnFill: '#f6f8fa',
    focusFill: '#e6eefa',
    band: '#d5dde8',
    median: '#1f2328',
    nodeStroke: '#1f2328',
    labelBackground: '#ffffff',
    lineWidth: 1.5,
  },
  contrast: {
    background: '#000000',
    ink: '#ffffff',
    muted: '#ffffff',
    grid: '#ffffff',
    columnFill: '#000000',
    focusFill: '#262626',
    band: '#4d4d4d',
    median: '#ffd400',
    nodeStroke: '#ffffff',
    labelBackground: '#000000',
    lineWidth: 3,
  },
};

export const MAP_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

/** Legend entries (swatch and label) laid out left to right, wrapping at `width`. */
export function flowLegend(entries: readonly { label: string; width: number }[], left: number, width: number): { x: number; row: number }[] {
  const out: { x: number; row: number }[] = [];
  let x = left;
  let row = 0;
  for (const e of entries) {
    if (x > left && x + e.width > left + width) {
      x = left;
      row += 1;
    }
    out.push({ x, row });
    x += e.width;
  }
  return out;
}


/**
 * Default colours of cases on the lifecycle map: Tableau 10 (the codes' colours), then the
 * lighter Tableau 20 shades, so that up to 20 cases get different colours.
 */
export const CASE_COLORS = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac',
  '#a0cbe8', '#ffbe7d', '#8cd17d', '#b6992d', '#499894', '#86bcb6', '#ff9d9a', '#79706e', '#d37295', '#d4a6c8',
] as const;
