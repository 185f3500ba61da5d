// Awkward keys survive the round trip through every report format: CSV and TSV keys are form-URL-encoded (decoded here
// with `+` as space), JSON, ORC and Parquet keys are written as they are (spec/inventory.md §2.7, DESIGN.md).
import { gunzipSync } from "node:zlib";
import { CreateBucketCommand, PutBucketVersioningCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { startInventoryEmulator } from "@inv-emulator/inventory";
import { beforeAll, describe, expect, it } from "vitest";
import { bucketName } from "./support/emulator.js";
import { coreweaveUser } from "./support/identities.js";
import { destinationPolicyFor, putInventory, putPolicy, runNow } from "./support/inventory-runs.js";
import { downloadReport, formEncode, reportRows } from "./support/reports.js";
import { useEmulator } from "./support/suite.js";

const KEYS = [
  "with space.txt",
  "two  spaces and a trailing space ",
  "plus+sign+.txt",
  "percent%literal%2B%20.txt",
  "café/naïve/é.txt",
  "emoji😀/🎉.bin",
  "日本語/キー/中文.txt",
  "한국어 키",
  'double"quote".csv',
  "single'quote'.txt",
  "comma,separated,key",
  "new\nline.txt",
  "tab\tkey\t.txt",
  "back\\slash",
  "reserved ?#&=;:@$!()[]{}|^`<>.txt",
  "unreserved-_.*~",
  "folder/",
];
const READER = coreweaveUser("reader", "orga"); // reads the reports on coreweave, as the destination policy says

for (const [profile, formats] of [
  ["coreweave", ["CSV", "TSV", "JSON", "ORC", "Parquet"]],
  ["aws", ["CSV", "ORC", "Parquet"]],
] as const) {
  describe(`${profile} profile`, () => {
    const options = { port: 0, inMemory: true, profile, ...(profile === "coreweave" ? { identities: [READER] } : {}) };
    const suite = useEmulator({
      start: () => startInventoryEmulator(options),
      ...(profile === "coreweave" ? { credentials: READER } : {}),
    });
    let source: string;
    const versionIds = new Map<string, string>();

    beforeAll(async () => {
      const s3 = suite.s3;
      source = bucketName("keys");
      const dest = bucketName("dest");
      for (const Bucket of [source, dest]) await s3.send(new CreateBucketCommand({ Bucket }));
      await s3.send(new PutBucketVersioningCommand({ Bucket: source, VersioningConfiguration: { Status: "Enabled" } }));
      for (const Key of KEYS) {
        const { VersionId } = await s3.send(new PutObjectCommand({ Bucket: source, Key, Body: Key }));
        versionIds.set(Key, VersionId as string);
      }
      await putPolicy(s3, dest, destinationPolicyFor(profile, dest, source, READER.arn));
      for (const format of formats)
        await putInventory(s3, source, { id: format, dest, format, all: true, fields: ["Size"] });
    });

    for (const format of formats) {
      it(`${format}: every key comes back exactly, with its version and size`, async () => {
        const run = await runNow(suite.endpoint, { bucket: source, id: format });
        const report = await downloadReport(suite.s3, run);
        const rows = (await reportRows(report)).flat();
        const got = rows.map((r) => [r.Key, r.VersionId, r.Size]);
        const expected = KEYS.map((key) => [key, versionIds.get(key), Buffer.byteLength(key)]);
        const byKey = (a: unknown[], b: unknown[]) =>
          Buffer.compare(Buffer.from(String(a[0])), Buffer.from(String(b[0])));
        expect(got).toEqual(expected.sort(byKey)); // also in UTF-8 byte order, as listings are

        if (format === "CSV" || format === "TSV") {
          // Raw text: the form-encoded key, one line per row, no raw separators, quotes or non-ASCII bytes.
          const text = gunzipSync(report.data[0] as Buffer).toString("utf8");
          const lines = text.split("\n").slice(0, -1);
          expect(lines).toHaveLength(KEYS.length);
          const keyField = (line: string) => (format === "CSV" ? line.split('","')[1] : line.split("\t")[1]);
          expect(lines.map(keyField).sort()).toEqual(KEYS.map(formEncode).sort());
          expect(text).toMatch(/^[\x20-\x7e\n\t]*$/);
          expect(lines.map(keyField)).toContain("with+space.txt");
          expect(lines.map(keyField)).toContain("plus%2Bsign%2B.txt");
          expect(lines.map(keyField)).toContain("caf%C3%A9/na%C3%AFve/%C3%A9.txt");
        }
        if (format === "JSON") {
          const text = gunzipSync(report.data[0] as Buffer).toString("utf8");
          expect(
            text
              .split("\n")
              .slice(0, -1)
              .map((line) => JSON.parse(line).Key),
          ).toEqual(rows.map((r) => r.Key));
          expect(text).toContain("plus+sign+.txt"); // raw, not URL-encoded
          expect(text).toContain("percent%literal%2B%20.txt");
        }
      });
    }
  });
}
