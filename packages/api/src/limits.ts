/**
 * Request limits, chosen from the anchors in shared/research/performance-and-security.md
 * (graphql-armor defaults, GitHub's and Shopify's connection limits, Yoga's defaults) and
 * documented in docs/api.md.
 */
export const LIMITS = {
  /** Connections: `first` is 1–100 (GitHub), 20 when omitted. */
  maxPageSize: 100,
  defaultPageSize: 20,
  /**
   * Selection depth. graphql-armor defaults to 6, but a Relay page of accounts with their
   * plan's actions and owners (accounts → edges → node → plan → actions → edges → node →
   * owner → name) is 9 deep, so 12 leaves room without allowing runaway nesting.
   */
  maxDepth: 12,
  /** Cost: 1 per field, lists multiplied by their page size (`first`), as GitHub and Shopify price them. */
  maxComplexity: 25_000,
  /** Total number of selections in one document. */
  maxBreadth: 500,
  /** Aliases per document (graphql-armor default 15). */
  maxAliases: 15,
  /** Directives per document (graphql-armor default 50). */
  maxDirectives: 50,
  /** Tokens per document; bulk data travels in variables, which are not counted. */
  maxTokens: 2_000,
  /** `nodes(ids:)` at most this many ids. */
  maxNodeIds: 100,
  /**
   * Characters of a `search` text: the longest text searched (an e-mail address, 254). A longer
   * text can match nothing, and one past 50,000 bytes was past SQLite's LIKE pattern limit.
   */
  maxSearchLength: 254,
} as const;
