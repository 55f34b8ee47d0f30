/**
 * Chart colours, each at least 4.5:1 against the white page (WCAG AA for text, so also for
 * graphics), and never the only signal: every series also has its own marker shape, line
 * dash and, for bars, fill pattern; legends and tables name every series.
 */
export const SERIES_COLOURS = [
  '#1f5fa8',
  '#a34f00',
  '#2e7d32',
  '#6a3d9a',
  '#b3261e',
  '#00695c',
  '#4d4d4d',
] as const;
export const REFERENCE_COLOUR = '#4d4d4d';
export const GRID_COLOUR = '#d0d0d0';
export const TEXT_COLOUR = '#1a1a1a';
export const POINT_STYLES = ['circle', 'triangle', 'rect', 'rectRot', 'crossRot', 'star', 'line'] as const;
export const LINE_DASHES: number[][] = [[], [6, 3], [2, 3], [10, 3, 2, 3], [1, 2], [8, 6], [4, 2]];
export const BAR_PATTERNS = [
  'solid',
  'diagonal',
  'dots',
  'cross',
  'vertical',
  'horizontal',
  'zigzag',
] as const;
export type BarPattern = (typeof BAR_PATTERNS)[number];

export function seriesColour(index: number): string {
  return SERIES_COLOURS[index % SERIES_COLOURS.length]!;
}

/** Relative luminance and contrast ratio (WCAG 2.x), for the tests that keep the palette honest. */
export function contrastRatio(foreground: string, background: string): number {
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map(offset => {
      const channel = Number.parseInt(hex.slice(offset, offset + 2), 16) / 255;
      return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [light, dark] = [luminance(foreground), luminance(background)].sort((a, b) => b - a);
  return (light! + 0.05) / (dark! + 0.05);
}
