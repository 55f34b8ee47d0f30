/**
 * The key accounts' full documents, kept beside Astro's content store in one file of JSON
 * lines: a header (`{"snapshot": key}`) and then one validated document a line.
 *
 * Astro serialises its whole store with devalue and bundles it into the build as one string
 * module: at 10,000 key accounts that is about 50 MB, which took longer to write, bundle,
 * compile and parse than every page took to render, and most of the build's memory. The store
 * keeps what the list and the routes need (a small row per account, see snapshot-loader.ts);
 * a page reads its own document from this file, parsed when it renders.
 */
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AccountData } from './schemas.ts';

export const ACCOUNT_DOCUMENTS_FILE = 'kam-account-documents.jsonl';

const NEWLINE = 0x0a;

/** Writes the documents (in the order given: line n + 1 holds `documents[n]`), atomically. */
export async function writeAccountDocuments(
  file: string,
  snapshot: string,
  documents: readonly AccountData[],
): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    let batch = `${JSON.stringify({ snapshot })}\n`;
    for (const document of documents) {
      batch += `${JSON.stringify(document)}\n`;
      if (batch.length > 1 << 20) {
        await handle.write(batch);
        batch = '';
      }
    }
    await handle.write(batch);
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** The snapshot key the file was written for; undefined when there is no such file. */
export async function accountDocumentsSnapshot(file: string): Promise<string | undefined> {
  let text: string;
  try {
    // The header is short; reading the first block is enough.
    const handle = await open(file, 'r');
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
      text = buffer.toString('utf8', 0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
  const end = text.indexOf('\n');
  if (end < 0) return undefined;
  try {
    const header = JSON.parse(text.slice(0, end)) as { snapshot?: unknown };
    return typeof header.snapshot === 'string' ? header.snapshot : undefined;
  } catch {
    return undefined;
  }
}

/** The documents of one file, each parsed when asked for (the file stays as bytes until then). */
export class AccountDocuments {
  readonly snapshot: string;
  readonly #bytes: Buffer;
  /** Where each document's line starts; one more entry for the end of the last line. */
  readonly #starts: number[];

  private constructor(snapshot: string, bytes: Buffer, starts: number[]) {
    this.snapshot = snapshot;
    this.#bytes = bytes;
    this.#starts = starts;
  }

  static async load(file: string): Promise<AccountDocuments> {
    const bytes = await readFile(file);
    const headerEnd = bytes.indexOf(NEWLINE);
    if (headerEnd < 0) throw new Error(`${file} is not an account documents file.`);
    const header = JSON.parse(bytes.toString('utf8', 0, headerEnd)) as { snapshot?: unknown };
    if (typeof header.snapshot !== 'string') throw new Error(`${file} has no snapshot header.`);
    const starts = [headerEnd + 1];
    for (let end = bytes.indexOf(NEWLINE, headerEnd + 1); end >= 0; end = bytes.indexOf(NEWLINE, end + 1)) {
      starts.push(end + 1);
    }
    return new AccountDocuments(header.snapshot, bytes, starts);
  }

  get size(): number {
    return this.#starts.length - 1;
  }

  /** The document written at `index` (its position in the list given to writeAccountDocuments). */
  get(index: number): AccountData {
    const start = this.#starts[index];
    const next = this.#starts[index + 1];
    if (start === undefined || next === undefined) {
      throw new Error(`There is no account document ${index} (the file holds ${this.size}).`);
    }
    return JSON.parse(this.#bytes.toString('utf8', start, next - 1)) as AccountData;
  }
}
