/**
 * The AWS CLI v2 (Debian, /usr/bin/aws 2.9.19) as the CLI tests call it: `aws ...` with an argument list, and
 * `aws s3api ...` written as a command line in a template, its JSON output parsed or its error code returned.
 */
import { expect } from "vitest";
import { awsCli, bucketName } from "./emulator.js";

/**
 * Command words from a template: literal text splits on whitespace, each `${value}` stays one argument
 * (joined to adjacent text, as in `s3://${bucket}/key`) and an array value gives one argument per element.
 */
export function words(strings: TemplateStringsArray, values: unknown[]): string[] {
  const out: string[] = [];
  let open = false;
  const add = (word: string) => {
    if (open) out[out.length - 1] += word;
    else out.push(word);
    open = true;
  };
  strings.forEach((text, i) => {
    text.split(/\s+/).forEach((piece, j) => {
      if (j > 0) open = false;
      if (piece) add(piece);
    });
    const value = values[i];
    if (Array.isArray(value)) {
      out.push(...value.map(String));
      open = false;
    } else if (i < values.length) add(String(value));
  });
  return out;
}

/** The CLI against `target.endpoint`, read at each call (an EmulatorSuite, whose emulator starts in beforeAll). */
export function awsCliCalls(target: { readonly endpoint: string }) {
  const s3api = (args: string[]) =>
    awsCli(target.endpoint, ["--output", "json", "s3api", ...args], { allowFailure: true });
  const calls = {
    /** `aws <args>`; rejects on a non-zero exit unless `allowFailure`. */
    cli: (args: string[], options: { allowFailure?: boolean } = {}) => awsCli(target.endpoint, args, options),

    /** `aws s3api ...` that must succeed; its JSON output parsed (`{}` when it prints nothing). */
    // biome-ignore lint/suspicious/noExplicitAny: CLI JSON output is checked field by field
    async api<T = any>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T> {
      const result = await s3api(words(strings, values));
      if (result.code !== 0) throw new Error(`aws s3api failed (${result.code}): ${result.stderr}`);
      return (result.stdout.trim() ? JSON.parse(result.stdout) : {}) as T;
    },

    /** `aws s3api ...` that must fail: the error code the CLI prints as `An error occurred (Code) when ...`. */
    async errorOf(strings: TemplateStringsArray, ...values: unknown[]): Promise<string | undefined> {
      const result = await s3api(words(strings, values));
      expect(result.code, result.stdout).not.toBe(0);
      return result.stderr.match(/An error occurred \(([^)]+)\)/)?.[1];
    },

    /** A bucket made by `aws s3api create-bucket`, named `label-<random>`. */
    async newBucket(label: string): Promise<string> {
      const bucket = bucketName(label);
      await calls.api`create-bucket --bucket ${bucket}`;
      return bucket;
    },
  };
  return calls;
}
