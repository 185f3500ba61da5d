import { requestControl } from "@inv-emulator/testing";
import { CliError, type Flag } from "./command.js";
import { DEFAULT_PORT } from "./emulator-flags.js";

/** Flags of commands that talk to a running emulator. */
export const CLIENT_FLAGS = {
  endpoint: {
    type: "string",
    short: "e",
    value: "url",
    description: `emulator endpoint (default $INV_EMULATOR_ENDPOINT or http://127.0.0.1:${DEFAULT_PORT})`,
  },
  json: { type: "boolean", description: "print JSON for scripts instead of text" },
} as const satisfies Record<string, Flag>;

export function endpointOf(value: string | boolean | undefined): string {
  return (
    (typeof value === "string" && value) || process.env.INV_EMULATOR_ENDPOINT || `http://127.0.0.1:${DEFAULT_PORT}`
  );
}

/** Calls a `/_emulator/...` control route; connection failures and error answers become one-line CliErrors. */
export async function callControl<T>(endpoint: string, method: string, path: string, body?: unknown) {
  let answer: Awaited<ReturnType<typeof requestControl<T>>>;
  try {
    answer = await requestControl<T>(endpoint, method, path, body);
  } catch (error) {
    // fetch rejects with "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, bad port, ...) is its cause.
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new CliError(
      `cannot reach the emulator at ${endpoint} (${cause?.code ?? cause?.message ?? (error as Error).message}); start one with "inv-emulator start"`,
    );
  }
  // 409: a run that was refused (disabled configuration): the run command reports it with its own exit code.
  if (answer.status >= 400 && answer.status !== 409) {
    throw new CliError(`${method} /_emulator/${path}: ${answer.status} ${answer.json.error ?? "(no message)"}`);
  }
  return answer;
}
