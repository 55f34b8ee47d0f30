// Analytics (pyramid, Pareto, selection, roll-ups, whitespace, journey, value,
// profitability, health, flags, KPIs) and snapshots.
export {};
