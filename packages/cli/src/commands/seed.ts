import { type Command, integerFlag } from "../command.js";
import { CLIENT_FLAGS, callControl, endpointOf } from "../control-client.js";
import { createProgress } from "../progress.js";

const FLAGS = {
  ...CLIENT_FLAGS,
  bucket: { type: "string", short: "b", value: "name", description: "bucket to fill (created when missing)" },
  count: {
    type: "string",
    short: "n",
    value: "objects",
    description: "number of objects (default 1000; up to 10,000,000)",
  },
  prefix: { type: "string", value: "prefix", description: "key prefix of the seeded objects" },
} as const;

const CHUNK = 50_000;

export const seedCommand: Command<typeof FLAGS> = {
  name: "seed",
  summary:
    "Fill a bucket of a running emulator with synthetic objects (bulk, no HTTP per object), with a progress bar.",
  flags: FLAGS,
  async run(values, output) {
    const endpoint = endpointOf(values.endpoint);
    const bucket = values.bucket ?? "seeded";
    const count = integerFlag(values.count, "count", 1000, [0, 10_000_000]);
    const progress = createProgress(output, count, `objects into s3://${bucket}`, values.json);
    const started = Date.now();
    let done = 0;
    progress.update(0);
    // Chunks keep each request short and let the bar move; keys continue where the last chunk stopped.
    do {
      const size = Math.min(CHUNK, count - done);
      await callControl(endpoint, "POST", "seed", {
        bucket,
        count: size,
        start: done,
        prefix: values.prefix ?? "",
        createBucket: true,
      });
      done += size;
      progress.update(done);
    } while (done < count);
    progress.finish();
    const seconds = (Date.now() - started) / 1000;
    if (values.json) output.log(JSON.stringify({ bucket, seeded: count, seconds }));
    else output.log(`Seeded ${count.toLocaleString("en-US")} objects into s3://${bucket} in ${seconds.toFixed(1)} s.`);
    return 0;
  },
};
