/**
 * Where a command's output goes. In `--json` mode stdout carries only JSON (one value per line),
 * so that scripts can parse it; people get colour only on a terminal and never with NO_COLOR.
 */
import Table from 'cli-table3';
import picocolors from 'picocolors';

/** picocolors' colour functions (bold, red, dim, …). */
export type Colors = ReturnType<typeof picocolors.createColors>;

/** A command's output channel. */
export interface Output {
  /** Machine output only: JSON on stdout, nothing else there. */
  readonly json: boolean;
  /** Whether stdout is a terminal (live views redraw in place only there). */
  readonly tty: boolean;
  /** Colour functions; they return the text unchanged when colour is off. */
  readonly c: Colors;
  /** Writes human text (a line, or several) to stdout. */
  print(text: string): void;
  /** Writes one JSON value on one line of stdout. */
  printJson(value: unknown): void;
  /** Writes a remark for the person to stderr, where it cannot spoil machine output. */
  note(text: string): void;
  /** A table as text, with a bold header. */
  table(head: readonly string[], rows: readonly (readonly string[])[]): string;
}

/** Whether to colour: stdout is a terminal and NO_COLOR (https://no-color.org) is unset or empty. */
export function colorWanted(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '');
}

/** The output of one command run. */
export function createOutput(options: { json: boolean }): Output {
  const tty = process.stdout.isTTY === true;
  const c = picocolors.createColors(!options.json && colorWanted(process.stdout, process.env));
  return {
    json: options.json,
    tty,
    c,
    print: (text) => void process.stdout.write(`${text}\n`),
    printJson: (value) => void process.stdout.write(`${JSON.stringify(value)}\n`),
    note: (text) => void process.stderr.write(`${text}\n`),
    table(head, rows) {
      // cli-table3 colours its header by itself; colour is ours to decide, so its own is off.
      const table = new Table({
        head: head.map((h) => c.bold(h)),
        style: { head: [], border: [] },
        // No rule between rows: long lists stay compact.
        chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
      });
      table.push(...rows.map((row) => [...row]));
      return table.toString();
    },
  };
}
