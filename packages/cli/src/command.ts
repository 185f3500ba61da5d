import { parseArgs } from "node:util";

/** A flag of a command: the parser and the help text both come from this one declaration. */
export interface Flag {
  type: "string" | "boolean";
  short?: string;
  description: string;
  /** Placeholder in the help text (`--port <port>`). */
  value?: string;
}

export interface Output {
  log(line: string): void;
  error(line: string): void;
  /** Whether stdout is a terminal (progress bars draw only there). */
  isTTY: boolean;
  columns: number | undefined;
}

/** A command as data (name, flags, run), one file each, in the style of citty. */
export interface Command<F extends Record<string, Flag> = Record<string, Flag>> {
  name: string;
  summary: string;
  flags: F;
  run(
    values: { [K in keyof F]?: F[K]["type"] extends "boolean" ? boolean : string },
    output: Output,
  ): Promise<number | undefined>;
}

/** A failure to report in one line; `exitCode` 2 is a usage error, 1 a runtime failure. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** Flags every command has. */
export const COMMON_FLAGS = {
  help: { type: "boolean", short: "h", description: "show this help" },
  debug: { type: "boolean", description: "print stack traces of errors" },
} as const satisfies Record<string, Flag>;

export function parseFlags<F extends Record<string, Flag>>(command: Command<F>, args: string[]) {
  const options = Object.fromEntries(
    Object.entries({ ...command.flags, ...COMMON_FLAGS }).map(([name, flag]: [string, Flag]) => [
      name,
      { type: flag.type, ...(flag.short ? { short: flag.short } : {}) },
    ]),
  );
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values as Record<
      string,
      string | boolean | undefined
    >;
  } catch (error) {
    // One line (parseArgs explains some errors over several): README, "Errors print in one line".
    const message = (error as Error).message.replace(/\s*\n\s*/g, " ");
    throw new CliError(`${message} (run "inv-emulator ${command.name} --help" for the options)`, 2);
  }
}

export function commandHelp(command: Command): string {
  const lines = Object.entries({ ...command.flags, ...COMMON_FLAGS }).map(([name, flag]: [string, Flag]) => {
    const short = flag.short ? `-${flag.short}, ` : "    ";
    const value = flag.type === "string" ? ` <${flag.value ?? name}>` : "";
    return `  ${short}--${name}${value}`.padEnd(32) + flag.description;
  });
  return [`Usage: inv-emulator ${command.name} [options]`, "", command.summary, "", "Options:", ...lines].join("\n");
}

/** Parses a number flag or fails with a usage error naming it. */
export function integerFlag(
  value: string | undefined,
  name: string,
  fallback: number,
  range: [number, number],
): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < range[0] || number > range[1]) {
    throw new CliError(`--${name} must be an integer from ${range[0]} to ${range[1]}, got "${value}"`, 2);
  }
  return number;
}
