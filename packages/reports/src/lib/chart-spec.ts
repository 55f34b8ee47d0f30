/**
 * What a chart shows, as plain serialisable data. The build renders it as HTML (figure, text
 * summary and data table); the `<kam-chart>` element reads it from `data-spec` and draws the
 * canvas on top. Nothing here depends on Chart.js.
 */

/** How the numbers of an axis are written. */
export type ValueFormat =
  | 'money'
  | 'share'
  | 'growth'
  | 'count'
  | 'score'
  | 'ratio'
  | 'percent-points'
  | 'tier';

export interface AxisSpec {
  format: ValueFormat;
  title: string;
  min?: number;
  max?: number;
  /** For `money`. */
  currency?: string;
  /**
   * For `score`: the fraction digits of its values, in ticks and tooltips (1 when not set; 2
   * for a KPI measured in hundredths, such as a 1–5 survey score, so that its ticks every 0.05
   * do not read "3.9, 3.9, 4, 4" and a tooltip says 4.13 as the table does).
   */
  decimals?: 1 | 2;
  /** For `tier`: the tick label of each whole value. */
  tickLabels?: Record<number, string>;
}

export interface SeriesSpec {
  label: string;
  /** For line and bar charts: one value per label. */
  data?: (number | null)[];
  /** For scatter charts. */
  points?: { x: number; y: number; label: string }[];
  /** Draw this series as a line in a bar chart (or the other way round). */
  type?: 'line' | 'bar';
  /** A target or threshold: a thin dashed line without markers. */
  reference?: boolean;
  axis?: 'y' | 'y2';
  stepped?: boolean;
  /** A shading key for "highlighted" bars (e.g. the unit a page is about). */
  highlight?: number;
}

export interface ChartSpec {
  kind: 'line' | 'bar' | 'scatter';
  /** The accessible name of the canvas (the visible caption says the same). */
  title: string;
  labels: string[];
  series: SeriesSpec[];
  /** Bars run left to right. */
  horizontal?: boolean;
  stacked?: boolean;
  x?: AxisSpec;
  y: AxisSpec;
  y2?: AxisSpec;
  /** Threshold lines of a quadrant chart, in axis units, with the quadrants' names. */
  quadrants?: {
    x: number;
    y: number;
    topLeft: string;
    topRight: string;
    bottomLeft: string;
    bottomRight: string;
  };
  /** Canvas height in CSS pixels (the width follows the page). */
  height?: number;
}

export interface TableSpec {
  caption: string;
  columns: string[];
  /** Formatted cells; the first column is the row header. */
  rows: string[][];
  /** Columns holding numbers (right-aligned). */
  numeric?: number[];
  /**
   * For a sortable table, the order of cells whose text does not sort as it reads (pyramid
   * levels bottom to top), row by row like `rows`: written as `data-sort`; null for none.
   */
  sortKeys?: (string | number | null)[][];
}

/** A chart as the pages use it: the drawing, the sentence that says what it shows, and its numbers. */
export interface ChartModel {
  spec: ChartSpec;
  summary: string;
  table: TableSpec;
}

/**
 * A series' drawing order for Chart.js, which draws the lowest order last (on top): reference
 * lines first, then the lines of a bar chart, then its bars in series order (their stacking
 * order), so that a bar never hides a line's points (decile 1's margins behind its revenue).
 */
export function seriesDrawOrder(spec: ChartSpec, index: number): number {
  const series = spec.series[index];
  if (!series || series.reference) return 0;
  const isBar = (series.type ?? spec.kind) === 'bar';
  return (isBar ? spec.series.length : 0) + index + 1;
}
