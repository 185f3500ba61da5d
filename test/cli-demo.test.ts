import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { afterAll, describe, expect, it } from "vitest";
import { spawnCli } from "./support/cli-process.js";

const REPORTS = "s3://demo-reports/inventory/demo-source/";
// 7 keys, a second version of readme.txt (first written before versioning) and of cat.jpg, dog.jpg's delete marker,
// the multipart video: 12 versions, IncludedObjectVersions All.
const ROWS = 12;

/** The "FORMAT  N rows  s3://.../manifest.json" lines, by format. */
function reportLines(stdout: string): Map<string, { rows: number; manifest: string }> {
  const found = new Map<string, { rows: number; manifest: string }>();
  for (const match of stdout.matchAll(/^(\w+) +(\d+) rows {2}(s3:\/\/\S+)$/gm)) {
    found.set(match[1] as string, { rows: Number(match[2]), manifest: match[3] as string });
  }
  return found;
}

/** The preview table printed after `${id}: FORMAT, fileSchema "..."`: header cells and row cells. */
function previewTable(stdout: string, id: string) {
  const block = stdout.split(`\n${id}: `)[1]?.split("\n\n")[0] ?? "";
  const [title = "", header = "", rule = "", ...rows] = block.split("\n");
  const cells = (line: string) => line.split(/ \|(?: |$)/).map((cell) => cell.trim());
  return { title, header: cells(header), rule, rows: rows.filter((line) => line !== "").map(cells) };
}

function expectPreviews(stdout: string) {
  const csv = previewTable(stdout, "daily-csv");
  expect(csv.title).toMatch(
    /^CSV, fileSchema "Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size, LastModifiedDate, ETag, /,
  );
  expect(csv.header).toEqual([
    "Key",
    "VersionId",
    "IsLatest",
    "IsDeleteMarker",
    "Size",
    "LastModifiedDate",
    "StorageClass",
  ]);
  expect(csv.rule).toMatch(/^-+(-\+-+)+$/);
  expect(csv.rows).toHaveLength(8);
  const keys = csv.rows.map((row) => row[0]);
  // CSV keys are form-URL-encoded in the file; the preview shows them decoded.
  expect(keys).toEqual(
    expect.arrayContaining(["docs/résumé.pdf", "docs/年报 2025.txt", "odd/a+b c%d,e.txt", "folder/"]),
  );
  expect(keys).toEqual([...keys].sort());
  const marker = csv.rows.find((row) => row[0] === "photos/2024/dog.jpg" && row[3] === "true");
  expect(marker?.[4]).toBe(""); // no size for a delete marker
  expect(csv.rows.find((row) => row[0] === "logs/app.log")?.[6]).toBe("STANDARD_IA");

  const parquet = previewTable(stdout, "daily-parquet");
  expect(parquet.title).toMatch(/^Parquet, fileSchema "message s3\.inventory \{ required binary bucket \(UTF8\); /);
  expect(parquet.header).toEqual([
    "key",
    "version_id",
    "is_latest",
    "is_delete_marker",
    "size",
    "last_modified_date",
    "storage_class",
  ]);
  // The same objects, typed: the Parquet preview lists the same keys and sizes as the CSV one.
  expect(parquet.rows.map((row) => [row[0], row[4]])).toEqual(csv.rows.map((row) => [row[0], row[4]]));
  expect(parquet.rows.every((row) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(row[5] ?? ""))).toBe(true);
}

describe("demo", () => {
  it("aws: CSV, ORC and Parquet reports with their locations, previews of CSV and Parquet, exit 0", {
    timeout: 90_000,
  }, async () => {
    const { code, stdout, stderr } = await spawnCli(["demo"], { timeoutMs: 90_000 }).done;
    expect(code, stderr).toBe(0);
    expect(stderr).toBe("");
    const endpoint =
      /^Emulator on (http:\/\/127\.0\.0\.1:\d+) \(profile aws\)\. Filling s3:\/\/demo-source \.\.\.$/m.exec(
        stdout,
      )?.[1];
    expect(endpoint, stdout).toBeDefined();
    expect(stdout).toContain(`\nInventory reports in ${REPORTS}:\n`);
    const reports = reportLines(stdout);
    expect([...reports.keys()]).toEqual(["CSV", "ORC", "Parquet"]);
    for (const [format, { rows, manifest }] of reports) {
      expect(rows, format).toBe(ROWS);
      expect(manifest).toMatch(
        new RegExp(`^${REPORTS}daily-${format.toLowerCase()}/\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\dZ/manifest\\.json$`),
      );
    }
    expectPreviews(stdout);
    // The demo's emulator is gone with it.
    expect(
      await fetch(`${endpoint}/_emulator/health`).then(
        () => "up",
        () => "down",
      ),
    ).toBe("down");
  });

  it("--profile coreweave: also TSV and JSON", { timeout: 90_000 }, async () => {
    const { code, stdout, stderr } = await spawnCli(["demo", "--profile", "coreweave"], { timeoutMs: 90_000 }).done;
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^Emulator on http:\/\/127\.0\.0\.1:\d+ \(profile coreweave\)\./);
    const reports = reportLines(stdout);
    expect([...reports.keys()].sort()).toEqual(["CSV", "JSON", "ORC", "Parquet", "TSV"]);
    for (const [format, { rows, manifest }] of reports) {
      expect(rows, format).toBe(ROWS);
      expect(manifest.startsWith(`${REPORTS}daily-${format.toLowerCase()}/`)).toBe(true);
    }
    expectPreviews(stdout);
  });
});

describe("demo --keep", () => {
  let stop: (() => void) | undefined;
  afterAll(() => stop?.());

  it("stays up with the reports readable, prints how to connect, stops on SIGINT with exit 0", {
    timeout: 90_000,
  }, async () => {
    const { child, out, done } = spawnCli(["demo", "--keep", "--port", "0"], { timeoutMs: 90_000 });
    stop = () => child.kill("SIGKILL");
    const deadline = Date.now() + 60_000;
    while (!out.stdout.includes("Press Ctrl-C to stop.")) {
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`demo --keep did not stay up: ${JSON.stringify(out)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const endpoint = /inv-emulator is listening on (http:\/\/127\.0\.0\.1:\d+) \(profile: aws\)/.exec(
      out.stdout,
    )?.[1] as string;
    expect(out.stdout).toContain(`export AWS_ENDPOINT_URL=${endpoint}`);

    const s3 = new S3Client({
      endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: "t", secretAccessKey: "t" },
    });
    const manifestKey = reportLines(out.stdout).get("CSV")?.manifest.replace("s3://demo-reports/", "") as string;
    const manifest = JSON.parse(
      await (
        await s3.send(new GetObjectCommand({ Bucket: "demo-reports", Key: manifestKey }))
      ).Body!.transformToString(),
    );
    expect(manifest).toMatchObject({
      sourceBucket: "demo-source",
      destinationBucket: "arn:aws:s3:::demo-reports",
      fileFormat: "CSV",
    });
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: "demo-reports", Prefix: "inventory/demo-source/" }),
    );
    expect(listed.Contents?.filter((o) => o.Key?.endsWith("/manifest.checksum"))).toHaveLength(3);
    s3.destroy();

    child.kill("SIGINT");
    const result = await done;
    expect(result.code).toBe(0);
    expect(
      await fetch(`${endpoint}/_emulator/health`).then(
        () => "up",
        () => "down",
      ),
    ).toBe("down");
  });
});
