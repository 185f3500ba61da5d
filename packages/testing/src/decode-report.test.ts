// decodeDataFile on the bytes the inventory's own format writers produce (REPORT_FORMATS + selectColumns), and on
// hand-written CSV/TSV for the quoting and form-URL-decoding rules (spec/inventory.md §2.7).
import { gzipSync } from "node:zlib";
import {
  encodeDataFile,
  type InventoryConfiguration,
  REPORT_FORMATS,
  type ReportRow,
  selectColumns,
} from "@inv-emulator/inventory";
import { encodeSnapshotPage } from "@inv-emulator/s3";
import { describe, expect, it } from "vitest";
import { decodeDataFile, formUrlDecode } from "./decode-report.js";

const MODIFIED = Date.UTC(2024, 0, 2, 3, 4, 5, 678);
const MODIFIED_ISO = "2024-01-02T03:04:05.678Z";

function configuration(format: string): InventoryConfiguration {
  return {
    id: "cfg",
    isEnabled: true,
    destination: { bucketArn: "arn:aws:s3:::dest", format },
    frequency: "Daily",
    includedObjectVersions: "All",
    optionalFields: ["Size", "LastModifiedDate", "ETag", "StorageClass", "IsMultipartUploaded"],
  };
}

function row(key: string, overrides: Partial<ReportRow> = {}): ReportRow {
  return {
    bucket: "src",
    key,
    versionId: "v1",
    isLatest: true,
    isDeleteMarker: false,
    size: 5,
    etag: '"0123abcd"',
    lastModifiedMs: MODIFIED,
    storageClass: "STANDARD",
    isMultipart: false,
    checksumAlgorithm: null,
    encryption: null,
    kmsKeyId: null,
    ownerId: "owner",
    lastAccessMs: null,
    ...overrides,
  };
}

// Keys that form-URL-encoding changes: space, plus, percent, quote, comma, tab, unicode, and a folder marker.
const KEYS = ['a b+c%d"e,f.txt', "tab\there", "年报 2025/résumé.pdf", "folder/"];
const ROWS: ReportRow[] = [
  row(KEYS[0]!),
  row(KEYS[0]!, { versionId: "v0", isLatest: false, size: 12_345_678_901, isMultipart: true, storageClass: "GLACIER" }),
  row(KEYS[1]!, { versionId: "null", isDeleteMarker: true, size: 0, etag: "" }),
  row(KEYS[2]!),
  row(KEYS[3]!, { size: 0 }),
];

/** The bytes of one data file, as the report pipeline writes them; rows in two batches. */
async function encode(format: string, rows: ReportRow[]): Promise<{ bytes: Buffer; schema: string }> {
  const writer = REPORT_FORMATS[format];
  if (!writer) throw new Error(`no format ${format}`);
  const columns = selectColumns(configuration(format));
  async function* pages() {
    yield encodeSnapshotPage(rows.slice(0, 2));
    yield encodeSnapshotPage(rows.slice(2));
  }
  const chunks: Buffer[] = [];
  for await (const chunk of encodeDataFile(writer, columns, "src", pages())) chunks.push(Buffer.from(chunk));
  return { bytes: Buffer.concat(chunks), schema: writer.fileSchema(columns) };
}

describe("decodeDataFile on the inventory's own data files", () => {
  it.each(["CSV", "TSV"])(
    "%s: strings by fileSchema name, the key form-URL-decoded, empty for not applicable",
    async (format) => {
      const { bytes, schema } = await encode(format, ROWS);
      const records = await decodeDataFile(bytes, format, schema);
      expect(records.map((r) => r.Key)).toEqual([KEYS[0], KEYS[0], KEYS[1], KEYS[2], KEYS[3]]);
      expect(records[0]).toEqual({
        Bucket: "src",
        Key: KEYS[0],
        VersionId: "v1",
        IsLatest: "true",
        IsDeleteMarker: "false",
        Size: "5",
        LastModifiedDate: MODIFIED_ISO,
        ETag: '"0123abcd"',
        StorageClass: "STANDARD",
        IsMultipartUploaded: "false",
      });
      expect(records[1]).toMatchObject({
        VersionId: "v0",
        IsLatest: "false",
        Size: "12345678901",
        StorageClass: "GLACIER",
        IsMultipartUploaded: "true",
      });
      // The delete marker: null version written empty, the object fields not applicable.
      expect(records[2]).toMatchObject({ VersionId: "", IsDeleteMarker: "true", Size: "", ETag: "", StorageClass: "" });
    },
  );

  it("JSON: the raw key and typed values, null where not applicable", async () => {
    const { bytes, schema } = await encode("JSON", ROWS);
    const records = await decodeDataFile(bytes, "JSON", schema);
    expect(records.map((r) => r.Key)).toEqual([KEYS[0], KEYS[0], KEYS[1], KEYS[2], KEYS[3]]);
    expect(records[0]).toMatchObject({ IsLatest: true, Size: 5, LastModifiedDate: MODIFIED_ISO, ETag: '"0123abcd"' });
    expect(records[1]).toMatchObject({ IsLatest: false, Size: 12_345_678_901, IsMultipartUploaded: true });
    expect(records[2]).toMatchObject({ VersionId: null, IsDeleteMarker: true, Size: null, ETag: null });
  });

  it.each(["ORC", "Parquet"])("%s: typed values by column name, timestamps as Dates", async (format) => {
    const { bytes, schema } = await encode(format, ROWS);
    const records = await decodeDataFile(bytes, format, schema);
    expect(records.map((r) => r.key)).toEqual([KEYS[0], KEYS[0], KEYS[1], KEYS[2], KEYS[3]]);
    const first = records[0]!;
    expect(Object.keys(first)).toEqual(selectColumns(configuration(format)).map((c) => c.name));
    expect(first.last_modified_date).toBeInstanceOf(Date);
    expect((first.last_modified_date as Date).toISOString()).toBe(MODIFIED_ISO);
    expect(first).toMatchObject({
      bucket: "src",
      version_id: "v1",
      is_latest: true,
      e_tag: '"0123abcd"',
      is_multipart_uploaded: false,
    });
    // ORC gives sizes as numbers, Parquet's INT64 as BigInts: compare by value.
    expect(records.map((r) => (r.size === null ? null : Number(r.size)))).toEqual([5, 12_345_678_901, null, 5, 0]);
    expect(records[2]).toMatchObject({ version_id: null, is_delete_marker: true, e_tag: null, storage_class: null });
  });

  it("Parquet from a Buffer that is a view into a larger allocation", async () => {
    const { bytes, schema } = await encode("Parquet", ROWS);
    const larger = Buffer.alloc(bytes.length + 20, 0xff);
    bytes.copy(larger, 13);
    const view = larger.subarray(13, 13 + bytes.length);
    expect(view.byteOffset).toBe(13);
    expect((await decodeDataFile(view, "Parquet", schema)).map((r) => r.key)).toEqual(
      KEYS.flatMap((k, i) => (i ? [k] : [k, k])),
    );
  });

  it.each(["CSV", "TSV", "JSON", "ORC", "Parquet"])("%s: a data file without rows decodes to none", async (format) => {
    const { bytes, schema } = await encode(format, []);
    expect(await decodeDataFile(bytes, format, schema)).toEqual([]);
  });

  it("an unknown format is an error", async () => {
    await expect(decodeDataFile(gzipSync(""), "XML", "Bucket, Key")).rejects.toThrow(/unknown report format XML/);
  });
});

describe("CSV quoting", () => {
  const csv = (text: string) => decodeDataFile(gzipSync(text), "CSV", "Bucket, Key, ETag, StorageClass");

  it("embedded (doubled) quotes, commas and empty fields", async () => {
    const records = await csv('"b","k","say ""hi"", then ""bye""","a,b"\n"b","k2","""",""\n');
    expect(records).toEqual([
      { Bucket: "b", Key: "k", ETag: 'say "hi", then "bye"', StorageClass: "a,b" },
      { Bucket: "b", Key: "k2", ETag: '"', StorageClass: "" },
    ]);
  });

  it("a field that is only quotes, and an empty field before a quoted one", async () => {
    const records = await csv('"b","","""""","""x"""\n');
    expect(records).toEqual([{ Bucket: "b", Key: "", ETag: '""', StorageClass: '"x"' }]);
  });

  it("an unquoted or unterminated field is an error, not a silent misread", async () => {
    await expect(csv('"b",k,"e","s"\n')).rejects.toThrow(/not quoted/);
    await expect(csv('"b","k","e","s\n')).rejects.toThrow(/unterminated/);
  });
});

describe("form-URL decoding of keys (CSV and TSV)", () => {
  it("`+` is a space, `%2B` a plus, `%XX` UTF-8 bytes", async () => {
    expect(formUrlDecode("a+b%2Bc")).toBe("a b+c");
    expect(formUrlDecode("%E5%B9%B4%E6%8A%A5+2025%2F%25")).toBe("年报 2025/%");
    expect(formUrlDecode("plain/key.txt")).toBe("plain/key.txt");
  });

  it("only the Key column is decoded, in CSV and in TSV", async () => {
    const csv = await decodeDataFile(gzipSync('"my+bucket","a+b%2Bc%25","x+y%2B"\n'), "CSV", "Bucket, Key, ETag");
    expect(csv).toEqual([{ Bucket: "my+bucket", Key: "a b+c%", ETag: "x+y%2B" }]);
    const tsv = await decodeDataFile(gzipSync("my+bucket\ta+b%2Bc%09d\tx+y\n"), "TSV", "Bucket, Key, ETag");
    expect(tsv).toEqual([{ Bucket: "my+bucket", Key: "a b+c\td", ETag: "x+y" }]);
  });

  it("what formUrlEncode wrote comes back unchanged, for every byte class", async () => {
    const keys = ["+", "%2B", " ", "%", "~!*'()", "a/b/", "\u{1F600}", "x".repeat(1024)];
    const { bytes, schema } = await encode(
      "CSV",
      keys.map((key) => row(key)),
    );
    expect((await decodeDataFile(bytes, "CSV", schema)).map((r) => r.Key)).toEqual(keys);
  });
});
