import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Creates a fresh, uniquely named schema on a PostgreSQL server and returns its name. */
export async function createScratchSchema(url: string, prefix = 'kam_t'): Promise<string> {
  const schema = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create schema "${schema}"`);
  } finally {
    await client.end();
  }
  return schema;
}

/** Drops a scratch schema and everything in it. */
export async function dropScratchSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

/** Creates a fresh, uniquely named database on the server of `url` and returns its URL. */
export async function createScratchDatabase(
  url: string,
  prefix = 'kam_scratch',
): Promise<{ url: string; name: string }> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  return { url: scratch.toString(), name };
}

/** Drops a scratch database (connections to it must be closed). */
export async function dropScratchDatabase(url: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await client.end();
  }
}
