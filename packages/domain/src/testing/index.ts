export { expectRejected, refusalOf, tableCounts } from './assertions.ts';
export { makeAccount, makeBusinessUnit, makePerson, testActor } from './factories.ts';
export {
  createScratchDatabase,
  createScratchSchema,
  dropScratchDatabase,
  dropScratchSchema,
} from './pg-schema.ts';
export { type Outcome, overlap } from './race.ts';
export { longestStatement, type StatementLog, statementLog } from './statements.ts';
export { createTestDatabase, type TestDatabase, testDialect } from './test-database.ts';
