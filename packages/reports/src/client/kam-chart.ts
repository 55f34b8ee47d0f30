/**
 * `<kam-chart data-spec="…">`: draws a chart on a canvas over the HTML that already holds its
 * numbers (summary and data table). It reads only its `data-spec` attribute, gives the canvas
 * an accessible name, and keeps the drawing in print (resized before printing).
 */
import type { ChartSpec } from '../lib/chart-spec.ts';
import { Chart } from '../lib/chartjs.ts';
import { chartConfig } from './chart-config.ts';

class KamChart extends HTMLElement {
  #chart: Chart | undefined;

  connectedCallback() {
    if (this.#chart) return;
    const raw = this.dataset.spec;
    if (!raw) return;
    const spec = JSON.parse(raw) as ChartSpec;
    const frame = this.querySelector<HTMLElement>('.kam-chart-frame');
    const canvas = this.querySelector('canvas') ?? document.createElement('canvas');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', this.dataset.label ?? spec.title);
    if (!canvas.isConnected) (frame ?? this).append(canvas);
    this.#chart = new Chart(canvas, chartConfig(spec));
    this.dataset.drawn = 'true';
  }

  disconnectedCallback() {
    this.#chart?.destroy();
    this.#chart = undefined;
  }

  /** Back to the width of its frame (after printing). */
  resize() {
    this.#chart?.resize();
  }

  /**
   * Redraws at most as wide as the printed page and as high as on screen. `beforeprint` comes
   * while the page still has its screen layout, so the frame cannot tell the printed width;
   * the print style then fits the drawing into its frame in proportion (report.css).
   */
  resizeForPrint() {
    const chart = this.#chart;
    if (chart) chart.resize(Math.min(chart.width, PRINT_WIDTH), chart.height);
  }
}

/**
 * The width a chart can have on a printed page, in CSS pixels: the narrower of A4 (210 mm) and
 * US Letter (215.9 mm) less report.css's 12 mm side margins, so that it fits either paper.
 */
const PRINT_WIDTH = ((210 - 2 * 12) / 25.4) * 96;

if (!customElements.get('kam-chart')) customElements.define('kam-chart', KamChart);

const charts = () => document.querySelectorAll<KamChart>('kam-chart');
addEventListener('beforeprint', () => {
  for (const element of charts()) element.resizeForPrint();
});
addEventListener('afterprint', () => {
  for (const element of charts()) element.resize();
});
