/**
 * Prints the GraphQL schema, sorted, to packages/api/schema.graphql.
 *   node scripts/print-schema.ts          write it
 *   node scripts/print-schema.ts --check  fail when the committed file differs from the code
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from '../src/schema/index.ts';

const file = fileURLToPath(new URL('../schema.graphql', import.meta.url));
const printed = `${printSchema(lexicographicSortSchema(schema))}\n`;

if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(file, 'utf8');
  } catch {
    // missing file: reported below
  }
  if (committed !== printed) {
    console.error(
      'schema.graphql is out of date with the code. Run `pnpm --filter @kam/api schema:print` and commit it.',
    );
    process.exit(1);
  }
  console.log('schema.graphql matches the code.');
} else {
  writeFileSync(file, printed);
  console.log(`Wrote ${file}`);
}
