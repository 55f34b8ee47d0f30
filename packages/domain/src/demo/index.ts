// The deterministic demo portfolio generator.
export { type DemoOptions, type DemoReport, defaultEndQuarter, seedDemoPortfolio } from './demo.ts';
