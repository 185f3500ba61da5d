#!/usr/bin/env node
import { inventoryPlugin } from "@inv-emulator/inventory";
import { startEmulator } from "@inv-emulator/s3";
import { connectionHelp } from "./connection-help.js";
import { parseStartOptions, startHelp, UsageError } from "./start-options.js";

const USAGE = `Usage: inv-emulator <command> [options]

Commands:
  start     start the S3 emulator (default)

Run "inv-emulator start --help" for the options.`;

async function start(args: string[]): Promise<void> {
  const options = parseStartOptions(args);
  if (options.help) {
    console.log(startHelp());
    return;
  }
  const emulator = await startEmulator({ ...options, plugins: [inventoryPlugin()] });
  console.log(connectionHelp(emulator.endpoint, options.profile ?? "aws"));
  const stop = async (signal: string) => {
    console.log(`\n${signal}: stopping`);
    await emulator.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

async function main(argv: string[]): Promise<number> {
  const [command = "start", ...rest] = argv;
  if (command === "--help" || command === "-h" || command === "help") {
    console.log(USAGE);
    return 0;
  }
  if (command === "start") {
    await start(rest);
    return 0;
  }
  if (command.startsWith("-")) {
    await start(argv);
    return 0;
  }
  throw new UsageError(`unknown command "${command}"\n\n${USAGE}`);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (error: unknown) => {
    const debug = process.argv.includes("--debug");
    const isUsage = error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    console.error(`inv-emulator: ${debug && error instanceof Error ? error.stack : (error as Error).message}`);
    process.exit(isUsage ? 2 : 1);
  },
);
