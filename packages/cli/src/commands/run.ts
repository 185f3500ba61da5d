import type { InventoryRun } from "@inv-emulator/inventory";
import { CliError, type Command } from "../command.js";
import { CLIENT_FLAGS, callControl, endpointOf } from "../control-client.js";

const FLAGS = {
  ...CLIENT_FLAGS,
  bucket: {
    type: "string",
    short: "b",
    value: "name",
    description: "source bucket of the inventory configuration (required)",
  },
  id: { type: "string", short: "i", value: "id", description: "inventory configuration id (required)" },
  at: { type: "string", value: "time", description: "report time (ISO 8601), default now" },
  force: { type: "boolean", description: "run a disabled configuration (IsEnabled false) anyway" },
} as const;

/** Exit code of a run that was refused or failed (the destination policy refused the inventory service, ...). */
export const RUN_FAILED_EXIT_CODE = 3;

/** What POST /_emulator/inventory/run answers: the run, or (409) why it was refused. */
type RunAnswer = Partial<InventoryRun> & { error?: string };

export const runCommand: Command<typeof FLAGS> = {
  name: "run",
  summary:
    "Run an inventory configuration of a running emulator now and wait for its report. Exit 3 when the run fails.",
  flags: FLAGS,
  async run(values, output) {
    if (!values.bucket || !values.id) throw new CliError("run needs --bucket and --id", 2);
    if (values.at !== undefined && Number.isNaN(Date.parse(values.at))) {
      throw new CliError(`--at must be an ISO 8601 time, got "${values.at}"`, 2);
    }
    const body = {
      bucket: values.bucket,
      id: values.id,
      ...(values.at ? { at: values.at } : {}),
      force: values.force ?? false,
    };
    const { status, json } = await callControl<RunAnswer>(endpointOf(values.endpoint), "POST", "inventory/run", body);
    if (values.json) output.log(JSON.stringify(json));
    if (status === 409) {
      if (!values.json) output.error(`inv-emulator: ${json.error}`);
      return RUN_FAILED_EXIT_CODE;
    }
    if (json.status !== "succeeded") {
      if (!values.json) output.error(`inv-emulator: the run failed: ${json.reason}`);
      return RUN_FAILED_EXIT_CODE;
    }
    if (!values.json) {
      output.log(
        `Report of s3://${values.bucket} (${values.id}): ${json.rowCount} rows, ${json.bytes} bytes in ${json.dataKeys?.length} data file(s), ${json.durationMs} ms`,
      );
      output.log(`  manifest: s3://${json.destinationBucket}/${json.manifestKey}`);
      for (const key of json.dataKeys ?? []) output.log(`  data:     s3://${json.destinationBucket}/${key}`);
    }
    return 0;
  },
};
