/**
 * The one place that registers Chart.js parts: only what the report charts use (line, bar
 * and scatter charts on category and linear scales, with legend and tooltip), so the client
 * bundle leaves the rest of Chart.js out. Never import `chart.js/auto`.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
} from 'chart.js';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
);

export type { ChartConfiguration, ChartDataset, Plugin } from 'chart.js';
export { Chart };
