import { CommanderError, type Command } from 'commander';

/** What a command line asked for: options to run with, the help text, or a usage error. */
export type ParsedCommandLine<T> =
  | { readonly kind: 'options'; readonly options: T }
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'error'; readonly message: string };

/**
 * Parses `argv` (the arguments after the script) with a fresh commander `command`,
 * without letting commander print or exit: the caller decides. `validate` turns
 * commander's raw values into options through an OptionReader, which collects every
 * problem, each naming its option.
 */
export function parseCommandLine<T>(
  command: Command,
  argv: readonly string[],
  validate: (read: OptionReader) => T,
): ParsedCommandLine<T> {
  let out = '';
  command
    .exitOverride()
    .configureOutput({ writeOut: (text) => (out += text), writeErr: () => undefined });
  try {
    command.parse([...argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.help') {
      return { kind: 'help', text: out };
    }
    return { kind: 'error', message: error.message.replace(/^error: /, '') };
  }
  const read = new OptionReader(
    command.opts(),
    (key) => command.getOptionValueSource(key) !== 'default',
  );
  const options = validate(read);
  if (read.problems.length > 0) return { kind: 'error', message: read.problems.join('\n') };
  return { kind: 'options', options };
}

/** Reads whole-number options, each problem naming its option. */
export class OptionReader {
  readonly problems: string[] = [];

  constructor(
    private readonly raw: Record<string, unknown>,
    /** Whether the command line set `key` (rather than its default). */
    readonly given: (key: string) => boolean = () => true,
  ) {}

  integer(key: string, flag: string, min: number, max: number): number {
    const text = String(this.raw[key]);
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min || value > max) {
      this.problems.push(`${flag} must be a whole number from ${min} to ${max}, got "${text}"`);
      return min;
    }
    return value;
  }

  choice<C extends string>(key: string, flag: string, choices: readonly C[]): C {
    const text = String(this.raw[key]);
    if ((choices as readonly string[]).includes(text)) return text as C;
    this.problems.push(`${flag} must be ${choices.join(' or ')}, got "${text}"`);
    return choices[0];
  }

  flag(key: string): boolean {
    return this.raw[key] === true;
  }

  /** A free-text option, or undefined when it was not given. */
  text(key: string): string | undefined {
    const value = this.raw[key];
    return typeof value === 'string' ? value : undefined;
  }

  /** A problem the caller found itself in an option's value. */
  problem(message: string): void {
    this.problems.push(message);
  }
}
