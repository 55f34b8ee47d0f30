/**
 * The Chart.js configuration of a chart spec (`<kam-chart>` draws it): colours, textures,
 * dashes and point styles so that no series is told apart by colour alone, tick labels in the
 * axis's unit, the quadrant lines of the selection matrix.
 */
import { type AxisSpec, type ChartSpec, type SeriesSpec, seriesDrawOrder } from '../lib/chart-spec.ts';
import type { ChartConfiguration, ChartDataset, Plugin } from '../lib/chartjs.ts';
import { axisTickPrecision, chartTooltipLabel, formatAxisTicks } from '../lib/format.ts';
import {
  BAR_PATTERNS,
  type BarPattern,
  GRID_COLOUR,
  LINE_DASHES,
  POINT_STYLES,
  REFERENCE_COLOUR,
  seriesColour,
  TEXT_COLOUR,
} from '../lib/palette.ts';

/** The strokes drawn on a bar pattern's 8 × 8 tile: polylines, as x, y pairs. */
const PATTERN_STROKES: Record<Exclude<BarPattern, 'solid' | 'dots'>, readonly (readonly number[])[]> = {
  diagonal: [[0, 8, 8, 0]],
  cross: [
    [0, 0, 8, 8],
    [0, 8, 8, 0],
  ],
  vertical: [[4, 0, 4, 8]],
  horizontal: [[0, 4, 8, 4]],
  zigzag: [[0, 6, 4, 2, 8, 6]],
};

/** A small repeating tile so that bars differ by texture, not only by colour. */
function barFill(colour: string, pattern: BarPattern): string | CanvasPattern {
  if (pattern === 'solid') return colour;
  const tile = document.createElement('canvas');
  tile.width = 8;
  tile.height = 8;
  const context = tile.getContext('2d');
  if (!context) return colour;
  context.fillStyle = colour;
  context.globalAlpha = 0.45;
  context.fillRect(0, 0, 8, 8);
  context.globalAlpha = 1;
  context.strokeStyle = colour;
  context.fillStyle = colour;
  context.lineWidth = 2;
  context.beginPath();
  if (pattern === 'dots') {
    context.arc(4, 4, 1.8, 0, Math.PI * 2);
    context.fill();
  } else {
    for (const line of PATTERN_STROKES[pattern]) {
      context.moveTo(line[0] ?? 0, line[1] ?? 0);
      for (let i = 2; i < line.length; i += 2) context.lineTo(line[i] ?? 0, line[i + 1] ?? 0);
    }
  }
  context.stroke();
  return context.createPattern(tile, 'repeat') ?? colour;
}

function dataset(spec: ChartSpec, series: SeriesSpec, index: number): ChartDataset {
  const colour = series.reference ? REFERENCE_COLOUR : seriesColour(index);
  const type = series.type ?? (spec.kind === 'scatter' ? 'scatter' : spec.kind);
  const common = {
    label: series.label,
    yAxisID: series.axis ?? 'y',
    order: seriesDrawOrder(spec, index),
  };
  if (type === 'bar') {
    const pattern = BAR_PATTERNS[index % BAR_PATTERNS.length]!;
    const fill = barFill(colour, pattern);
    const backgroundColor =
      series.highlight == null
        ? fill
        : (series.data ?? []).map((_, at) =>
            at === series.highlight ? colour : barFill(colour, 'diagonal'),
          );
    return {
      ...common,
      type: 'bar',
      data: series.data ?? [],
      backgroundColor,
      borderColor: colour,
      borderWidth: 1,
      ...(spec.stacked ? { stack: 'stack' } : {}),
    } as ChartDataset;
  }
  const pointStyle = POINT_STYLES[index % POINT_STYLES.length]!;
  return {
    ...common,
    type: type === 'scatter' ? 'scatter' : 'line',
    data: series.points ?? series.data ?? [],
    borderColor: colour,
    backgroundColor: colour,
    borderWidth: series.reference ? 1.5 : 2,
    borderDash: series.reference ? [6, 4] : LINE_DASHES[index % LINE_DASHES.length],
    // A reference line has no markers on the chart; its legend entry (drawn in the series'
    // point style) is a short dashed line.
    pointStyle: series.reference ? 'line' : pointStyle,
    pointRadius: series.reference ? 0 : type === 'scatter' ? 4 : 3.5,
    ...(series.reference ? { pointHoverRadius: 0 } : {}),
    pointBackgroundColor: type === 'scatter' && index % 2 === 1 ? '#ffffff' : colour,
    stepped: series.stepped ? 'middle' : false,
    spanGaps: false,
    showLine: type !== 'scatter',
    fill: false,
  } as ChartDataset;
}

/** Threshold lines and quadrant names for the attractiveness × relationship matrix. */
const quadrantPlugin: Plugin = {
  id: 'kamQuadrants',
  beforeDatasetsDraw(chart) {
    const quadrants = (chart.options.plugins as { kamQuadrants?: ChartSpec['quadrants'] }).kamQuadrants;
    const { x, y } = chart.scales;
    if (!quadrants || !x || !y) return;
    const { ctx, chartArea } = chart;
    const px = x.getPixelForValue(quadrants.x);
    const py = y.getPixelForValue(quadrants.y);
    ctx.save();
    ctx.strokeStyle = REFERENCE_COLOUR;
    ctx.setLineDash([6, 4]);
    ctx.beginPath();
    ctx.moveTo(px, chartArea.top);
    ctx.lineTo(px, chartArea.bottom);
    ctx.moveTo(chartArea.left, py);
    ctx.lineTo(chartArea.right, py);
    ctx.stroke();
    ctx.fillStyle = TEXT_COLOUR;
    ctx.font = 'bold 12px system-ui, sans-serif';
    ctx.textBaseline = 'top';
    ctx.textAlign = 'left';
    ctx.fillText(quadrants.topLeft, chartArea.left + 6, chartArea.top + 6);
    ctx.fillText(quadrants.bottomLeft, chartArea.left + 6, py + 6);
    ctx.textAlign = 'right';
    ctx.fillText(quadrants.topRight, chartArea.right - 6, chartArea.top + 6);
    ctx.fillText(quadrants.bottomRight, chartArea.right - 6, py + 6);
    ctx.restore();
  },
};

/** Below this chart width (CSS pixels) ticks are written short: a phone, not a printed page. */
const NARROW_CHART_WIDTH = 480;

/** An axis's tick labels, by its array of ticks (Chart.js asks for them one tick at a time). */
const tickLabels = new WeakMap<object, string[]>();

export function chartConfig(spec: ChartSpec): ChartConfiguration {
  const axis = (options: AxisSpec) => ({
    min: options.min,
    max: options.max,
    title: { display: true, text: options.title, color: TEXT_COLOUR },
    grid: { color: GRID_COLOUR },
    ticks: {
      color: TEXT_COLOUR,
      ...(options.format === 'tier' ? { stepSize: 1 } : {}),
      precision: axisTickPrecision(options),
      // Written together, so that close ticks get the decimals that tell them apart (once per axis update).
      // Shorter on a narrow chart (a phone), where the full labels crowd out the axis title.
      callback(
        this: { chart?: { width: number } },
        value: number | string,
        index: number,
        ticks: { value: number }[],
      ) {
        if (typeof value !== 'number') return value;
        let labels = tickLabels.get(ticks);
        if (!labels) {
          labels = formatAxisTicks(
            ticks.map(tick => tick.value),
            options,
            (this.chart?.width ?? Number.POSITIVE_INFINITY) < NARROW_CHART_WIDTH,
          );
          tickLabels.set(ticks, labels);
        }
        return labels[index] ?? String(value);
      },
    },
    stacked: spec.stacked ?? false,
  });
  const valueAxis = spec.horizontal ? 'x' : 'y';
  const categoryAxis = spec.horizontal ? 'y' : 'x';
  const scales: Record<string, unknown> = {
    [valueAxis]: axis(spec.y),
  };
  if (spec.kind === 'scatter' && spec.x) {
    scales.x = { type: 'linear', ...axis(spec.x) };
  } else {
    scales[categoryAxis] = {
      type: 'category',
      title: { display: Boolean(spec.x?.title), text: spec.x?.title ?? '', color: TEXT_COLOUR },
      grid: { display: false },
      // Chart.js skips labels closer than autoSkipPadding: its default 3 px let the quarters
      // of a narrow chart read as one word ("2024-Q42025-Q2").
      ticks: { color: TEXT_COLOUR, autoSkip: true, autoSkipPadding: 12, maxRotation: 0 },
      stacked: spec.stacked ?? false,
    };
  }
  if (spec.y2) {
    scales.y2 = {
      ...axis(spec.y2),
      position: 'right',
      grid: { display: false },
    };
  }
  return {
    type: spec.kind === 'scatter' ? 'scatter' : spec.kind,
    data: { labels: spec.labels, datasets: spec.series.map((series, index) => dataset(spec, series, index)) },
    options: {
      indexAxis: spec.horizontal ? 'y' : 'x',
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      normalized: true,
      plugins: {
        legend: {
          display: spec.series.length > 1,
          // In series order: Chart.js sorts by drawing order, which puts lines before bars.
          labels: {
            color: TEXT_COLOUR,
            usePointStyle: true,
            sort: (a, b) => (a.datasetIndex ?? 0) - (b.datasetIndex ?? 0),
          },
        },
        tooltip: {
          itemSort: (a, b) => a.datasetIndex - b.datasetIndex,
          // The value in its unit ("Win rate: 72.4 %"), not Chart.js's raw number (0.724).
          callbacks: {
            label: item => chartTooltipLabel(spec, item.datasetIndex, item.parsed, item.raw),
          },
        },
        ...(spec.quadrants ? { kamQuadrants: spec.quadrants } : {}),
      },
      scales,
    },
    plugins: spec.quadrants ? [quadrantPlugin] : [],
  } as ChartConfiguration;
}
