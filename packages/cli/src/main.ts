#!/usr/bin/env node
import { CliError, type Command, commandHelp, type Output, parseFlags } from "./command.js";
import { demoCommand } from "./commands/demo.js";
import { runCommand } from "./commands/run.js";
import { runsCommand, statusCommand } from "./commands/runs.js";
import { seedCommand } from "./commands/seed.js";
import { startCommand } from "./commands/start.js";

/** Every command, in the order the help lists them. */
const COMMANDS = [
  startCommand,
  demoCommand,
  seedCommand,
  runCommand,
  runsCommand,
  statusCommand,
] as unknown as Command[];

function usage(): string {
  // The first sentence of each summary, without its full stop: one short line per command.
  const lines = COMMANDS.map(
    (command) => `  ${command.name.padEnd(10)}${command.summary.split(". ")[0]?.replace(/\.$/, "")}`,
  );
  return [
    "Usage: inv-emulator <command> [options]",
    "",
    "Commands:",
    ...lines,
    "",
    'Run "inv-emulator <command> --help" for its options.',
  ].join("\n");
}

const output: Output = {
  log: (line) => console.log(line),
  error: (line) => console.error(line),
  isTTY: Boolean(process.stdout.isTTY),
  columns: process.stdout.columns,
};

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === "--help" || first === "-h" || first === "help") {
    output.log(usage());
    return 0;
  }
  // `inv-emulator` alone, or with flags only, starts the emulator.
  const command = first === undefined || first.startsWith("-") ? startCommand : COMMANDS.find((c) => c.name === first);
  if (!command) {
    const names = COMMANDS.map((c) => c.name).join(", ");
    throw new CliError(`unknown command "${first}" (commands: ${names}); run "inv-emulator --help" for help`, 2);
  }
  const args = first === undefined || first.startsWith("-") ? argv : rest;
  const values = parseFlags(command as Command, args);
  if (values.help) {
    output.log(commandHelp(command as Command));
    return 0;
  }
  return (await (command as Command).run(values as never, output)) ?? 0;
}

const debug = process.argv.includes("--debug");
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message =
      debug && error instanceof Error ? (error.stack ?? error.message) : ((error as Error)?.message ?? String(error));
    console.error(`inv-emulator: ${message}`);
    process.exit(error instanceof CliError ? error.exitCode : 1);
  },
);
