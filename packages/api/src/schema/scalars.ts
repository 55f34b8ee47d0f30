import { dateProblem, isKamDate, isQuarter, moneyProblem, quarterProblem, toCents } from '@kam/domain';
import { GraphQLError, Kind, type ValueNode } from 'graphql';
import { builder } from '../builder.ts';
import { parseInstant } from '../instant.ts';

function stringLiteral(ast: ValueNode, name: string): string {
  if (ast.kind === Kind.STRING) return ast.value;
  if (name === 'Money' && (ast.kind === Kind.INT || ast.kind === Kind.FLOAT)) return ast.value;
  throw new GraphQLError(`${name} must be given as a string.`);
}

/**
 * A JSON number in the variables arrives as a binary float, which holds a decimal of at most 15
 * significant digits exactly: an amount with cents below 10^13. A larger one may already be
 * another amount than the one sent (80000000000000.07 parses as 80000000000000.06, and
 * 90071992547409.91 as 90071992547409.9), and nothing tells them apart: it is refused.
 */
const MONEY_NUMBER_LIMIT = 1e13;

builder.scalarType('Money', {
  description:
    'An exact amount of money in the reporting currency: a decimal string with two fraction digits, e.g. "1250.50". Inputs may also be numbers with at most two decimals, of less than 10000000000000 either way (at most 15 significant digits, which a JSON number carries exactly); send a larger amount as a string. Never a binary float.',
  serialize: value => String(value),
  parseValue: value => {
    if (typeof value !== 'string' && typeof value !== 'number')
      throw new GraphQLError('Money must be a decimal string like "1250.50".');
    if (typeof value === 'number' && Math.abs(value) >= MONEY_NUMBER_LIMIT) {
      throw new GraphQLError(
        `Money given as a JSON number must be less than ${MONEY_NUMBER_LIMIT} (at most 15 significant digits with the cents), as a binary float cannot hold every cent of a larger one; got ${JSON.stringify(value)}. Send the amount as a string, e.g. "80000000000000.07".`,
      );
    }
    return String(parseMoney(value));
  },
  parseLiteral: ast => String(parseMoney(stringLiteral(ast, 'Money'))),
});

/** A valid amount as given, or a GraphQLError that says how to write it. */
function parseMoney(value: string | number): string | number {
  try {
    toCents(value, 'Money');
  } catch {
    throw new GraphQLError(`Money ${moneyProblem(value)}; got ${JSON.stringify(value)}.`);
  }
  return value;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
function parseDate(value: unknown): string {
  // Not Date.parse: V8 reads 2026-02-30 as 2 March.
  if (typeof value !== 'string' || !DATE.test(value) || !isKamDate(value)) {
    throw new GraphQLError(`Date ${dateProblem(value)}; got ${JSON.stringify(value)}.`);
  }
  return value;
}
builder.scalarType('Date', {
  description: 'A calendar date, YYYY-MM-DD.',
  serialize: value => String(value),
  parseValue: parseDate,
  parseLiteral: ast => parseDate(stringLiteral(ast, 'Date')),
});

function parseDateTime(value: unknown): Date {
  const instant = parseInstant(value);
  if (instant instanceof Date) return instant;
  throw new GraphQLError(`DateTime ${instant.problem}; got ${JSON.stringify(value)}.`);
}
builder.scalarType('DateTime', {
  description:
    'An instant, ISO 8601 in UTC (2026-11-23T10:00:00.000Z). Inputs give the time zone (Z or an offset such as +01:00); a date alone (2026-11-23) is its midnight in UTC.',
  serialize: value => (value instanceof Date ? value : new Date(String(value))).toISOString(),
  parseValue: parseDateTime,
  parseLiteral: ast => parseDateTime(stringLiteral(ast, 'DateTime')),
});

function parseQuarterValue(value: unknown): string {
  if (!isQuarter(value))
    throw new GraphQLError(`Quarter ${quarterProblem(value)}; got ${JSON.stringify(value)}.`);
  return value;
}
builder.scalarType('Quarter', {
  description: 'A reporting quarter, written YYYY-Qn (e.g. 2026-Q3).',
  serialize: value => String(value),
  parseValue: parseQuarterValue,
  parseLiteral: ast => parseQuarterValue(stringLiteral(ast, 'Quarter')),
});

builder.scalarType('JSON', {
  description:
    'A JSON document with its own versioned schema (used for immutable snapshot payloads, whose fields are documented in docs/api.md and validated by the report build).',
  serialize: value => value,
  parseValue: value => value,
});
