/**
 * The Chart.js configuration of a chart spec (src/client/chart-config.ts), built in Node: the
 * parts a reader relies on to tell series apart without colour.
 */
import { describe, expect, it } from 'vitest';
import { chartConfig } from '../src/client/chart-config.ts';
import type { ChartSpec } from '../src/lib/chart-spec.ts';

const winRate: ChartSpec = {
  kind: 'line',
  title: 'Win rate against the 80 % line',
  labels: ['2026-Q1', '2026-Q2', '2026-Q3'],
  series: [
    { label: 'Win rate', data: [0.62, 0.7, 0.74] },
    { label: 'Target 80 %', data: [0.8, 0.8, 0.8], reference: true },
  ],
  y: { format: 'share', title: 'Win rate' },
};

describe('chartConfig', () => {
  it('gives a reference line a dashed line symbol in the legend and no markers on the chart', () => {
    // The legend draws each series' point style: a reference line had none (`false`), so its
    // entry showed no symbol at all beside the label.
    const [series, target] = chartConfig(winRate).data.datasets as unknown as Record<string, unknown>[];
    expect(target).toMatchObject({
      pointStyle: 'line',
      pointRadius: 0,
      pointHoverRadius: 0,
      borderDash: [6, 4],
    });
    expect(series?.pointStyle).not.toBe('line');
    expect(series?.pointRadius).toBeGreaterThan(0);
    expect(chartConfig(winRate).options?.plugins?.legend).toMatchObject({
      display: true,
      labels: { usePointStyle: true },
    });
  });
});

describe('chartConfig at phone width', () => {
  type Ticks = {
    autoSkip?: boolean;
    autoSkipPadding?: number;
    callback: (this: unknown, value: number, index: number, ticks: { value: number }[]) => string;
  };
  const ticksOf = (spec: ChartSpec, axis: string) =>
    (chartConfig(spec).options?.scales as Record<string, { ticks: Ticks }> | undefined)?.[axis]
      ?.ticks as Ticks;
  const labels = (ticks: Ticks, values: number[], width: number) => {
    const scale = { chart: { width } };
    const all = values.map(value => ({ value }));
    return values.map((value, index) => ticks.callback.call(scale, value, index, all));
  };

  it('drops the currency from money ticks when the axis title names it, on a narrow chart only', () => {
    // At 390 px the y-axis title "TTM revenue (EUR)" was drawn over "EUR 40m" … "EUR 120m".
    const spec: ChartSpec = {
      kind: 'bar',
      title: 'Margin against account size',
      labels: ['Decile 1', 'Decile 2'],
      series: [{ label: 'TTM revenue', data: [1.2e8, 4e7] }],
      y: { format: 'money', title: 'TTM revenue (EUR)', currency: 'EUR', min: 0 },
    };
    const ticks = ticksOf(spec, 'y');
    expect(labels(ticks, [0, 4e7, 1.2e8], 360)).toEqual(['0', '40m', '120m']);
    expect(labels(ticks, [0, 4e7, 1.2e8], 800)).toEqual(['EUR 0', 'EUR 40m', 'EUR 120m']);
  });

  it('shortens tier ticks to the tier number on a narrow chart, and spaces category labels apart', () => {
    // At 390 px "Tier 1: Mutual benefit" took half the width and the quarters ran together.
    const spec: ChartSpec = {
      kind: 'line',
      title: 'Value tier by quarter',
      labels: ['2024-Q4', '2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3'],
      series: [{ label: 'Value tier', data: [1, 1, 2, 2, 2, 3, 3, 3] }],
      y: {
        format: 'tier',
        title: 'value tier',
        min: 1,
        max: 4,
        tickLabels: {
          1: 'Tier 4: Price',
          2: 'Tier 3: Differentiator',
          3: 'Tier 2: Value add',
          4: 'Tier 1: Mutual benefit',
        },
      },
    };
    expect(labels(ticksOf(spec, 'y'), [1, 4], 360)).toEqual(['Tier 4', 'Tier 1']);
    expect(labels(ticksOf(spec, 'y'), [1, 4], 800)).toEqual(['Tier 4: Price', 'Tier 1: Mutual benefit']);
    expect(ticksOf(spec, 'x')).toMatchObject({ autoSkip: true });
    expect(ticksOf(spec, 'x').autoSkipPadding).toBeGreaterThanOrEqual(10);
  });
});
