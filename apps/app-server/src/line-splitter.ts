/**
 * Splits a byte stream into lines without holding more than `maxLineBytes` of one line: a longer line is
 * reported once (`onOversized`) and skipped up to its newline, so one huge message cannot exhaust memory.
 */
export class LineSplitter {
  readonly #maxLineBytes: number;
  readonly #onLine: (line: string) => void;
  readonly #onOversized: (bytes: number) => void;
  #parts: Buffer[] = [];
  #size = 0;
  #skipping = false;
  #skipped = 0;

  constructor(maxLineBytes: number, onLine: (line: string) => void, onOversized: (bytes: number) => void) {
    this.#maxLineBytes = maxLineBytes;
    this.#onLine = onLine;
    this.#onOversized = onOversized;
  }

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(10, start);
      if (nl !== -1 && this.#size === 0 && !this.#skipping && nl - start <= this.#maxLineBytes) {
        // A whole line inside one chunk (the usual case): decoded in place, nothing copied.
        this.#emit(chunk.toString('utf8', start, nl));
        start = nl + 1;
        continue;
      }
      const end = nl === -1 ? chunk.length : nl;
      this.#append(chunk.subarray(start, end));
      if (nl === -1) return;
      this.#finishLine();
      start = nl + 1;
    }
  }

  /** End of input: a last line without a newline still counts. */
  end(): void {
    if (this.#size > 0 || this.#skipping) this.#finishLine();
  }

  #append(piece: Buffer): void {
    if (piece.length === 0) return;
    if (this.#skipping) {
      this.#skipped += piece.length;
      return;
    }
    if (this.#size + piece.length > this.#maxLineBytes) {
      this.#skipping = true;
      this.#skipped = this.#size + piece.length;
      this.#parts = [];
      this.#size = 0;
      return;
    }
    this.#parts.push(piece);
    this.#size += piece.length;
  }

  #finishLine(): void {
    if (this.#skipping) {
      this.#skipping = false;
      this.#onOversized(this.#skipped);
      this.#skipped = 0;
      return;
    }
    const line = Buffer.concat(this.#parts, this.#size).toString('utf8');
    this.#parts = [];
    this.#size = 0;
    this.#emit(line);
  }

  #emit(line: string): void {
    if (line.trim() !== '') this.#onLine(line);
  }
}
