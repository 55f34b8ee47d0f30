import Sqlite from 'better-sqlite3';

/**
 * The keys of the rows an import has already sent, with the line of each, so that a row
 * repeating one in a later batch is found. Kept in a private temporary SQLite database rather
 * than in memory: SQLite pages it out to a temporary file beyond a few MB, so a file of tens
 * of millions of rows imports in bounded memory (a Map held about 160 MB per million keys).
 */
export class SeenKeys {
  readonly #db: Sqlite.Database;
  readonly #lineOf: Sqlite.Statement<[string], { line: number }>;
  readonly #add: (entries: [key: string, line: number][]) => void;
  /** Whether any key was noted: until then (a file of one batch) nothing is looked up. */
  #any = false;

  constructor() {
    // An empty file name: a private temporary database, removed when it is closed.
    this.#db = new Sqlite('');
    this.#db.pragma('journal_mode = OFF');
    this.#db.pragma('synchronous = OFF');
    this.#db.exec('create table seen (key text primary key, line integer not null) without rowid');
    this.#lineOf = this.#db.prepare('select line from seen where key = ?');
    const insert = this.#db.prepare('insert or ignore into seen (key, line) values (?, ?)');
    this.#add = this.#db.transaction((entries: [string, number][]) => {
      for (const [key, line] of entries) insert.run(key, line);
    });
  }

  /** The line of the first row sent with `key`, if any. */
  lineOf(key: string): number | undefined {
    return this.#any ? this.#lineOf.get(key)?.line : undefined;
  }

  /** Notes keys and their lines; a key already noted keeps its first line. */
  add(entries: [key: string, line: number][]): void {
    if (!entries.length) return;
    this.#add(entries);
    this.#any = true;
  }

  close(): void {
    this.#db.close();
  }
}
