/** What every report page needs: the snapshot and the build's time stamp. */
import { getSnapshot, type ReportSnapshot } from '../data/collections.ts';
import { type ReportSite, reportEnv } from '../env.ts';
import type { NavItem } from '../layouts/ReportLayout.astro';

export interface PageContext extends ReportSnapshot {
  builtAt: string;
  currency: string;
  /** The sites published for the quarter, this one included (cross-site links go only there). */
  linkedSites: readonly ReportSite[];
  /** Whether the value-journey site of this quarter is published (so account pages can be linked). */
  journeyPublished: boolean;
}

let context: Promise<PageContext> | undefined;
/**
 * The same for every page of a build, so made once: the pages of one build are one module
 * instance (like the snapshot in collections.ts), and the environment does not change while
 * they render.
 */
export function pageContext(): Promise<PageContext> {
  context ??= getSnapshot().then(snapshot => {
    const env = reportEnv();
    return {
      ...snapshot,
      builtAt: env.builtAt,
      currency: snapshot.portfolio.currency,
      linkedSites: env.linkedSites,
      journeyPublished: env.linkedSites.includes('journey'),
    };
  });
  return context;
}

export const KPI_NAV: NavItem[] = [
  { href: '/index.html', label: 'KPIs' },
  { href: '/trends.html', label: 'KPI trends' },
  { href: '/customers.html', label: 'Pyramid and Pareto' },
  { href: '/selection.html', label: 'Account matrix' },
  { href: '/performance.html', label: 'Margin, growth, win rate' },
  { href: '/attention.html', label: 'Needs attention' },
  { href: '/units.html', label: 'Business units' },
];

export const JOURNEY_NAV: NavItem[] = [
  { href: '/index.html', label: 'Portfolio journey' },
  { href: '/accounts.html', label: 'Key accounts' },
];
