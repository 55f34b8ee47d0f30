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
