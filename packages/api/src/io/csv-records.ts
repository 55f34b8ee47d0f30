import { Transform, type TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/** A record of the file that is not well-formed CSV, by the line it starts on. */
export interface MalformedRecord {
  line: number;
  code: 'CSV_INVALID_CLOSING_QUOTE' | 'CSV_INVALID_OPENING_QUOTE' | 'CSV_QUOTE_NOT_CLOSED';
  message: string;
}

/**
 * A quoted field longer than this (in characters) is taken for one whose closing quote is
 * missing: the longest a row of kam's formats holds is about 11 columns of 20,000 characters,
 * each quote doubled. It bounds the text held while a record is looked for.
 */
const MAX_RECORD_CHARS = 1_000_000;

/**
 * Stands between the file and csv-parse, and passes on only well-formed records: a record with
 * a stray or unclosed quote is reported by the line it starts on and replaced by an empty line
 * (so that csv-parse's line numbers stay those of the file), and reading starts again on the
 * line after it. csv-parse's own `skip_records_with_error` resumes after such a record in the
 * quote state the error left it in: `R-10,"a" b` swallowed the next line and the one after was
 * read as an unclosed quote, so good rows were dropped without a word and counted twice.
 *
 * A record ends at the end of a line where its quotes are balanced (an even number of quote
 * characters, `""` counting two): until then a line break is inside a quoted field. A record
 * that never balances (a missing closing quote) is rejected at the end of the file or after
 * `MAX_RECORD_CHARS`, and the lines after its first are read again as records of their own.
 *
 * The first record (the header) is passed on as it is; csv-parse and the header check judge it.
 */
export class CsvRecordGuard extends Transform {
  readonly #decoder = new StringDecoder('utf8');
  readonly #onMalformed: (record: MalformedRecord) => void;
  /** The first line of every record that spans several lines, by its last line. */
  readonly #starts = new Map<number, number>();
  #carry = '';
  #line = 1;
  #first = true;
  #sawHeader = false;
  /** Records passed on by the `#read` under way, pushed at its end as one chunk. */
  #out: string[] = [];
  #open: { start: number; lines: string[]; chars: number } | undefined;

  readonly #maxRecordChars: number;

  constructor(onMalformed: (record: MalformedRecord) => void, maxRecordChars = MAX_RECORD_CHARS) {
    super();
    this.#onMalformed = onMalformed;
    this.#maxRecordChars = maxRecordChars;
  }

  /** The line a record starts on, given the line csv-parse reports for it (the one where it ends). */
  startOf(endLine: number): number {
    const start = this.#starts.get(endLine);
    if (start === undefined) return endLine;
    this.#starts.delete(endLine);
    return start;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let text = this.#carry + this.#decoder.write(chunk);
    if (this.#first && text.length) {
      this.#first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const end = text.lastIndexOf('\n') + 1;
    this.#carry = text.slice(end);
    const lines = text.slice(0, end);
    if (!end) {
      // No whole line yet: it waits for the next chunk.
      done();
      return;
    }
    if (this.#sawHeader && !this.#open && !lines.includes('"')) {
      // Lines without a quote are each a well-formed record: passed on as they are.
      for (let at = lines.indexOf('\n'); at !== -1; at = lines.indexOf('\n', at + 1)) this.#line++;
      this.push(lines);
    } else {
      this.#read(splitLines(lines));
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    const rest = this.#carry + this.#decoder.end();
    this.#carry = '';
    if (rest) this.#read([this.#first && rest.charCodeAt(0) === 0xfeff ? rest.slice(1) : rest]);
    while (this.#open) {
      const { start, lines } = this.#open;
      this.#open = undefined;
      this.#read(this.#reject(start, lines, unclosed(start)));
    }
    done();
  }

  /** Reads lines (each with its line break, but the file's last), in order, from line `#line`. */
  #read(lines: string[]): void {
    const queue = lines;
    for (let i = 0; i < queue.length; i++) {
      const again = this.#take(queue[i]!);
      if (again.length) queue.splice(i + 1, 0, ...again);
    }
    if (this.#out.length) this.push(this.#out.join(''));
    this.#out = [];
  }

  /** Takes the next line; returns the lines to read again (after a malformed record). */
  #take(line: string): string[] {
    const number = this.#line++;
    const odd = quotesIn(line) % 2 === 1;
    if (!this.#open) {
      if (!odd) return this.#record(number, [line]);
      this.#open = { start: number, lines: [line], chars: line.length };
      return [];
    }
    const open = this.#open;
    open.lines.push(line);
    open.chars += line.length;
    if (odd) {
      this.#open = undefined;
      return this.#record(open.start, open.lines);
    }
    if (open.chars > this.#maxRecordChars) {
      this.#open = undefined;
      return this.#reject(open.start, open.lines, unclosed(open.start));
    }
    return [];
  }

  /** A record with balanced quotes: passed on if well-formed, else rejected. */
  #record(start: number, lines: string[]): string[] {
    const text = lines.join('');
    if (!this.#sawHeader) {
      if (text.trim() !== '') this.#sawHeader = true;
      this.#out.push(text);
      return [];
    }
    const problem = malformation(text.replace(/\r?\n$/, ''), start);
    if (problem) return this.#reject(start, lines, problem);
    if (lines.length > 1) this.#starts.set(start + lines.length - 1, start);
    this.#out.push(text);
    return [];
  }

  /** Reports the record on `start`, passes an empty line in its place, and gives back the lines after. */
  #reject(start: number, lines: string[], problem: MalformedRecord): string[] {
    this.#onMalformed(problem);
    // Its own line break: csv-parse takes the first one it meets (\r\n, say) for the file's.
    this.#out.push(/\r?\n$/.exec(lines[0]!)?.[0] ?? '');
    this.#line = start + 1;
    return lines.slice(1);
  }
}

function splitLines(text: string): string[] {
  const lines: string[] = [];
  for (let from = 0; from < text.length; ) {
    const at = text.indexOf('\n', from);
    const end = at === -1 ? text.length : at + 1;
    lines.push(text.slice(from, end));
    from = end;
  }
  return lines;
}

function quotesIn(line: string): number {
  let count = 0;
  for (let at = line.indexOf('"'); at !== -1; at = line.indexOf('"', at + 1)) count++;
  return count;
}

function unclosed(line: number): MalformedRecord {
  return {
    line,
    code: 'CSV_QUOTE_NOT_CLOSED',
    message: `A quoted field starting on line ${line} is never closed: a closing quote is missing (or a quote inside a field is not doubled)`,
  };
}

const shown = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

/** Why a record (its text without the final line break) is not well-formed CSV, or undefined. */
function malformation(record: string, line: number): MalformedRecord | undefined {
  for (let at = 0, field = 1; ; field++) {
    if (record[at] === '"') {
      let close = record.indexOf('"', at + 1);
      while (close !== -1 && record[close + 1] === '"') close = record.indexOf('"', close + 2);
      if (close === -1) return unclosed(line);
      const next = close + 1;
      if (next === record.length) return undefined;
      if (record[next] !== ',') {
        return {
          line,
          code: 'CSV_INVALID_CLOSING_QUOTE',
          message: `Invalid Closing Quote: field ${field} on line ${line} has ${shown(record.slice(next, next + 1))} after its closing quote, where a comma or the end of the line must follow (a space after the quote, or text after a quoted part)`,
        };
      }
      at = next + 1;
    } else {
      const comma = record.indexOf(',', at);
      const end = comma === -1 ? record.length : comma;
      const quote = record.indexOf('"', at);
      if (quote !== -1 && quote < end) {
        return {
          line,
          code: 'CSV_INVALID_OPENING_QUOTE',
          message: `Invalid Opening Quote: field ${field} on line ${line} (${shown(record.slice(at, end))}) holds a quote but does not start with one; put the whole field in quotes and double the quotes inside it, like "He said ""hi"""`,
        };
      }
      if (comma === -1) return undefined;
      at = comma + 1;
    }
  }
}
