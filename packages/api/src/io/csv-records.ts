import { Transform, type TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/** A record of the file that is not well-formed CSV, by the line it starts on. */
export interface MalformedRecord {
  line: number;
  code: 'CSV_INVALID_CLOSING_QUOTE' | 'CSV_INVALID_OPENING_QUOTE' | 'CSV_QUOTE_NOT_CLOSED';
  message: string;
  /**
   * The record's first field (unquoted), when the fault lies after it and it was read whole: an
   * import names the rejected row by it (an account's external ref, for the rows under it).
   */
  firstField?: string;
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
 * A line ends at a \r\n, a \n or a \r alone (files from Windows, Unix and old Macs), and lines
 * are numbered as an editor shows them; `startOf` turns csv-parse's count into these numbers.
 *
 * The first record (the header) is passed on as it is; csv-parse and the header check judge it.
 */
export class CsvRecordGuard extends Transform {
  readonly #decoder = new StringDecoder('utf8');
  readonly #onMalformed: (record: MalformedRecord) => void;
  /**
   * The line a record starts on, by the line csv-parse reports for it, where the two differ: a
   * record over several lines, and every record after a \r\n inside a quoted field.
   */
  readonly #starts = new Map<number, number>();
  #carry = '';
  /** The line of the file the next line read is on. */
  #line = 1;
  /**
   * The line csv-parse counts the next line read on. It counts every \r and every \n it reads,
   * and steps over only the \n of a \r\n that ends a record of a file whose records end with
   * \r\n: a \r\n inside a quoted field is two lines to it, and one in the file.
   */
  #parserLine = 1;
  /** The line break that ends the file's records, as csv-parse finds it: the first one outside quotes. */
  #recordBreak: string | undefined;
  #first = true;
  #sawHeader = false;
  /** Records passed on by the `#read` under way, pushed at its end as one chunk. */
  #out: string[] = [];
  #open: { start: LineAt; lines: string[]; chars: number } | undefined;

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
    const end = wholeLinesEnd(text);
    this.#carry = text.slice(end);
    const lines = text.slice(0, end);
    if (!end) {
      // No whole line yet: it waits for the next chunk.
      done();
      return;
    }
    if (
      this.#sawHeader &&
      !this.#open &&
      !lines.includes('"') &&
      this.#line === this.#parserLine &&
      (this.#recordBreak === '\r\n' || !lines.includes('\r\n'))
    ) {
      // Lines without a quote are each a well-formed record, on the line csv-parse counts it on
      // (a \r\n is two lines to it only where it does not end the file's records): passed on as they are.
      const count = lineBreaks(lines);
      this.#line += count;
      this.#parserLine += count;
      this.push(lines);
    } else {
      this.#read(splitLines(lines));
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    const rest = this.#carry + this.#decoder.end();
    this.#carry = '';
    if (rest) this.#read(splitLines(this.#first && rest.charCodeAt(0) === 0xfeff ? rest.slice(1) : rest));
    while (this.#open) {
      const { start, lines } = this.#open;
      this.#open = undefined;
      this.#read(this.#reject(start, lines, unclosed(start.line)));
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
    const at: LineAt = { line: this.#line++, parserLine: this.#parserLine };
    const odd = quotesIn(line) % 2 === 1;
    const open = this.#open;
    // The line's break ends the record where its quotes balance; else it is inside a quoted field.
    const ends = open ? odd : !odd;
    this.#parserLine += this.#parserBreaks(line, ends);
    if (!open) {
      if (ends) return this.#record(at, at, [line]);
      this.#open = { start: at, lines: [line], chars: line.length };
      return [];
    }
    open.lines.push(line);
    open.chars += line.length;
    if (ends) {
      this.#open = undefined;
      return this.#record(open.start, at, open.lines);
    }
    if (open.chars > this.#maxRecordChars) {
      this.#open = undefined;
      return this.#reject(open.start, open.lines, unclosed(open.start.line));
    }
    return [];
  }

  /**
   * How many lines csv-parse counts for the line break that ends `line`: one, but two for a \r\n
   * inside a quoted field (`ends` false) or ending a record of a file whose records end otherwise.
   */
  #parserBreaks(line: string, ends: boolean): number {
    const lineBreak = lineBreakOf(line);
    if (ends && lineBreak) this.#recordBreak ??= lineBreak;
    if (lineBreak !== '\r\n') return lineBreak ? 1 : 0;
    return ends && this.#recordBreak === '\r\n' ? 1 : 2;
  }

  /** A record with balanced quotes, from `start` to the line `last`: passed on if well-formed, else rejected. */
  #record(start: LineAt, last: LineAt, lines: string[]): string[] {
    const text = lines.join('');
    if (!this.#sawHeader) {
      if (text.trim() !== '') this.#sawHeader = true;
      this.#out.push(text);
      return [];
    }
    const record = text.slice(0, text.length - lineBreakOf(text).length);
    const problem = malformation(record, start.line);
    if (problem) return this.#reject(start, lines, problem);
    // csv-parse reports a record by its last line, as it counts (an empty line it skips unreported).
    if (last.parserLine !== start.line && record !== '') this.#starts.set(last.parserLine, start.line);
    this.#out.push(text);
    return [];
  }

  /** Reports the record on `start`, passes an empty line in its place, and gives back the lines after. */
  #reject(start: LineAt, lines: string[], problem: MalformedRecord): string[] {
    this.#onMalformed({ ...problem, firstField: firstFieldOf(lines.join('')) });
    // Its own line break: csv-parse takes the first one it meets (\r\n, say) for the file's.
    const lineBreak = lineBreakOf(lines[0]!);
    this.#out.push(lineBreak);
    this.#line = start.line + 1;
    this.#parserLine = start.parserLine + this.#parserBreaks(lineBreak, true);
    return lines.slice(1);
  }
}

/** Where a line starts: its line in the file, and the line csv-parse counts it on. */
interface LineAt {
  line: number;
  parserLine: number;
}

/** A line break: \r\n, \n, or \r alone. */
const LINE_BREAK = /\r\n?|\n/g;

/** The line break that ends `line` ('' for the file's last line without one). */
function lineBreakOf(line: string): string {
  return /(?:\r\n?|\n)$/.exec(line)?.[0] ?? '';
}

/**
 * Where the whole lines of `text` end: after its last line break, but a \r at its very end waits
 * for the next chunk, which may start with the \n of a \r\n.
 */
function wholeLinesEnd(text: string): number {
  const cr = text.length > 1 ? text.lastIndexOf('\r', text.length - 2) : -1;
  return Math.max(text.lastIndexOf('\n'), cr) + 1;
}

/** How many line breaks `text` holds. */
function lineBreaks(text: string): number {
  return text.match(LINE_BREAK)?.length ?? 0;
}

/** The lines of `text`, each with its line break (but a last one without). */
function splitLines(text: string): string[] {
  const lines: string[] = [];
  let from = 0;
  for (const match of text.matchAll(LINE_BREAK)) {
    const end = match.index + match[0].length;
    lines.push(text.slice(from, end));
    from = end;
  }
  if (from < text.length) lines.push(text.slice(from));
  return lines;
}

/** The first field of a record, unquoted, or undefined when the record's fault lies in it. */
function firstFieldOf(record: string): string | undefined {
  if (record[0] !== '"') {
    const end = record.search(/[,\r\n]/);
    if (end === -1 || record[end] !== ',') return undefined;
    const field = record.slice(0, end);
    return field.includes('"') ? undefined : field;
  }
  let close = record.indexOf('"', 1);
  while (close !== -1 && record[close + 1] === '"') close = record.indexOf('"', close + 2);
  if (close === -1 || record[close + 1] !== ',') return undefined;
  return record.slice(1, close).replaceAll('""', '"');
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
