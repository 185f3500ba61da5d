// manifest.json in Jackson's default pretty-printer style, byte for byte as spec/inventory.md §2.3 shows it.
import { describe, expect, it } from "vitest";
import { jacksonPretty } from "./jackson-json.js";

// spec/inventory.md §2.3, verbatim.
const SPEC_SAMPLE = `{
  "sourceBucket" : "amzn-s3-demo-source-bucket",
  "destinationBucket" : "arn:aws:s3:::amzn-s3-demo-inventory",
  "version" : "2016-11-30",
  "creationTimestamp" : "1668560400000",
  "fileFormat" : "CSV",
  "fileSchema" : "Bucket, Key, Size, LastModifiedDate",
  "files" : [ {
    "key" : "amzn-s3-demo-source-bucket/config-id/data/20e55de8-9c21-45d4-99b9-46c732000228.csv.gz",
    "size" : 7300,
    "MD5checksum" : "a7ff4a1d4164c3cd55851055ec8f6b20"
  } ]
}`;

describe("jacksonPretty", () => {
  it("matches spec §2.3's manifest sample byte for byte", () => {
    const manifest = {
      sourceBucket: "amzn-s3-demo-source-bucket",
      destinationBucket: "arn:aws:s3:::amzn-s3-demo-inventory",
      version: "2016-11-30",
      creationTimestamp: "1668560400000",
      fileFormat: "CSV",
      fileSchema: "Bucket, Key, Size, LastModifiedDate",
      files: [
        {
          key: "amzn-s3-demo-source-bucket/config-id/data/20e55de8-9c21-45d4-99b9-46c732000228.csv.gz",
          size: 7300,
          MD5checksum: "a7ff4a1d4164c3cd55851055ec8f6b20",
        },
      ],
    };
    expect(jacksonPretty(manifest)).toBe(SPEC_SAMPLE);
    expect(JSON.parse(jacksonPretty(manifest))).toEqual(manifest);
  });

  it("several files: `}, {` between array items", () => {
    const text = jacksonPretty({
      files: [
        { key: "a", size: 1 },
        { key: "b", size: 2 },
      ],
    });
    expect(text).toBe(
      '{\n  "files" : [ {\n    "key" : "a",\n    "size" : 1\n  }, {\n    "key" : "b",\n    "size" : 2\n  } ]\n}',
    );
  });

  it("escapes strings as JSON does and keeps it parseable; empty containers; undefined members left out", () => {
    const value = { 'k"ey': 'va"l\n😀', empty: [], none: {}, skipped: undefined, n: null, t: true };
    const text = jacksonPretty(value);
    expect(text).toContain('"empty" : [ ]');
    expect(text).toContain('"none" : { }');
    expect(text).not.toContain("skipped");
    expect(JSON.parse(text)).toEqual({ 'k"ey': 'va"l\n😀', empty: [], none: {}, n: null, t: true });
  });
});
