/**
 * The report sites' only script (one bundle for every page, loaded as a classic script so it
 * also runs from file://). Pages work without it: it draws the charts, makes tables sortable
 * and filterable, and opens collapsed tables before printing.
 */
import './kam-chart.ts';
import './tables.ts';
