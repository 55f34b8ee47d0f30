/** What every report page needs: the snapshot and the build's time stamp. */
import { getSnapshot, type ReportSnapshot } from '../data/collections.ts';
import { reportEnv } from '../env.ts';
import type { NavItem } from '../layouts/ReportLayout.astro';

export interface PageContext extends ReportSnapshot {
  builtAt: string;
  currency: string;
  /** Whether the value-journey site of this quarter is published (so account pages can be linked). */
  journeyPublished: boolean;
}

export async function pageContext(): Promise<PageContext> {
  const snapshot = await getSnapshot();
  const env = reportEnv();
  return {
    ...snapshot,
    builtAt: env.builtAt,
    currency: snapshot.portfolio.currency,
    journeyPublished: env.linkedSites.includes('journey'),
  };
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
