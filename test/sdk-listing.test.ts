import {
  ListObjectsCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandInput,
  paginateListObjectsV2,
} from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { bucketName } from "./support/emulator.js";
import { createSdkBucket, expectSdkError, putObjects } from "./support/sdk.js";
import { useEmulator } from "./support/suite.js";

const suite = useEmulator();
let tree: string;

const TREE_KEYS = [
  "docs/x",
  "docs/y",
  "photos/2024/a.jpg",
  "photos/2024/b.jpg",
  "photos/2025/c.jpg",
  "photos/readme",
  "top",
  "zeta/",
];

/** A new bucket holding `keys`, each body its key. */
async function newBucket(keys: string[]): Promise<string> {
  const bucket = await createSdkBucket(suite.s3, "list");
  await putObjects(suite.s3, bucket, keys);
  return bucket;
}

beforeAll(async () => {
  tree = await newBucket(TREE_KEYS);
});

const v2 = (input: Omit<ListObjectsV2CommandInput, "Bucket"> = {}, bucket = tree) =>
  suite.s3.send(new ListObjectsV2Command({ Bucket: bucket, ...input }));
const keysOf = (out: { Contents?: { Key?: string }[] }) => (out.Contents ?? []).map((c) => c.Key);
const prefixesOf = (out: { CommonPrefixes?: { Prefix?: string }[] }) => (out.CommonPrefixes ?? []).map((p) => p.Prefix);
/** S3 sorts keys by their UTF-8 bytes, not by UTF-16 code units as JavaScript does. */
const utf8Order = (a: string, b: string) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
/** encoding-type=url values: S3 may send a space as `+`, so a literal plus always arrives as %2B. */
const urlDecode = (value: string) => decodeURIComponent(value.replace(/\+/g, " "));

describe("ListObjectsV2", () => {
  it("lists everything in order with KeyCount, sizes and ETags; no Owner unless FetchOwner", async () => {
    const out = await v2();
    expect(keysOf(out)).toEqual(TREE_KEYS);
    expect(out.KeyCount).toBe(TREE_KEYS.length);
    expect(out.IsTruncated).toBe(false);
    expect(out.Name).toBe(tree);
    expect(out.MaxKeys).toBe(1000);
    expect(out.Contents?.[0]).toMatchObject({ Size: "docs/x".length, StorageClass: "STANDARD" });
    expect(out.Contents?.[0]?.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(out.Contents?.[0]?.Owner).toBeUndefined();
    expect((await v2({ FetchOwner: true })).Contents?.[0]?.Owner?.ID).toBeTruthy();
  });

  it("rolls keys up into CommonPrefixes with a delimiter, under a prefix too", async () => {
    const root = await v2({ Delimiter: "/" });
    expect(keysOf(root)).toEqual(["top"]);
    expect(prefixesOf(root)).toEqual(["docs/", "photos/", "zeta/"]);
    expect(root.KeyCount).toBe(4);
    expect(root.Delimiter).toBe("/");
    const photos = await v2({ Prefix: "photos/", Delimiter: "/" });
    expect(keysOf(photos)).toEqual(["photos/readme"]);
    expect(prefixesOf(photos)).toEqual(["photos/2024/", "photos/2025/"]);
    expect(photos.Prefix).toBe("photos/");
    expect(keysOf(await v2({ Prefix: "photos/2024/" }))).toEqual(["photos/2024/a.jpg", "photos/2024/b.jpg"]);
    expect((await v2({ Prefix: "nothing/" })).KeyCount).toBe(0);
  });

  it("pages with MaxKeys and continuation tokens, counting each common prefix once", async () => {
    const seen: (string | undefined)[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await v2({ Delimiter: "/", MaxKeys: 2, ContinuationToken: token });
      expect(out.ContinuationToken).toBe(token);
      expect(out.KeyCount).toBeLessThanOrEqual(2);
      seen.push(...prefixesOf(out), ...keysOf(out));
      token = out.NextContinuationToken;
      expect(Boolean(token)).toBe(out.IsTruncated);
      pages++;
    } while (token && pages < 10);
    expect(seen.sort()).toEqual(["docs/", "photos/", "top", "zeta/"]);
    expect(pages).toBe(2);
  });

  it("MaxKeys 0 returns nothing and is not truncated", async () => {
    const out = await v2({ MaxKeys: 0 });
    expect(out.KeyCount).toBe(0);
    expect(keysOf(out)).toEqual([]);
    expect(out.IsTruncated).toBe(false);
  });

  it("StartAfter starts after that key (which need not exist) and is echoed", async () => {
    const out = await v2({ StartAfter: "photos/2024/b.jpg" });
    expect(keysOf(out)).toEqual(["photos/2025/c.jpg", "photos/readme", "top", "zeta/"]);
    expect(out.StartAfter).toBe("photos/2024/b.jpg");
    expect(keysOf(await v2({ StartAfter: "q" }))).toEqual(["top", "zeta/"]);
  });

  it("EncodingType url encodes keys, prefixes and delimiters that XML could not carry", async () => {
    const keys = ["enc/a b", "enc/line\nbreak", "enc/plus+sign", "enc/ü/x", "enc/percent%"];
    const bucket = await newBucket(keys);
    const out = await v2({ EncodingType: "url" }, bucket);
    expect(out.EncodingType).toBe("url");
    const raw = keysOf(out) as string[];
    for (const key of raw) expect(key).not.toMatch(/[ \n+ü]|%(?![0-9A-F]{2})/);
    expect(raw.map(urlDecode).sort(utf8Order)).toEqual([...keys].sort(utf8Order));
    const grouped = await v2({ EncodingType: "url", Prefix: "enc/", Delimiter: "/" }, bucket);
    expect((prefixesOf(grouped) as string[]).map(urlDecode)).toEqual(["enc/ü/"]);
  });

  it("a continuation token the server did not issue is 400 InvalidArgument", async () => {
    await expectSdkError(v2({ ContinuationToken: "definitely-not-a-token" }), "InvalidArgument", 400);
  });

  it("listing a missing bucket is NoSuchBucket", async () => {
    await expectSdkError(v2({}, bucketName("missing")), "NoSuchBucket", 404);
  });
});

describe("ListObjects (V1)", () => {
  it("Marker starts after a key; Owner is included", async () => {
    const out = await suite.s3.send(new ListObjectsCommand({ Bucket: tree, Marker: "photos/readme" }));
    expect(keysOf(out)).toEqual(["top", "zeta/"]);
    expect(out.Marker).toBe("photos/readme");
    expect(out.Contents?.[0]?.Owner?.ID).toBeTruthy();
  });

  it("NextMarker is given with a delimiter and resumes past a common prefix", async () => {
    const first = await suite.s3.send(new ListObjectsCommand({ Bucket: tree, Delimiter: "/", MaxKeys: 2 }));
    expect(first.IsTruncated).toBe(true);
    expect(prefixesOf(first)).toEqual(["docs/", "photos/"]);
    expect(first.NextMarker).toBe("photos/");
    const second = await suite.s3.send(
      new ListObjectsCommand({ Bucket: tree, Delimiter: "/", MaxKeys: 2, Marker: first.NextMarker }),
    );
    expect(keysOf(second)).toEqual(["top"]);
    expect(prefixesOf(second)).toEqual(["zeta/"]);
    expect(second.IsTruncated).toBe(false);
  });

  it("without a delimiter a truncated page has no NextMarker; clients resume after the last key", async () => {
    const first = await suite.s3.send(new ListObjectsCommand({ Bucket: tree, MaxKeys: 3 }));
    expect(first.IsTruncated).toBe(true);
    expect(first.NextMarker).toBeUndefined();
    const last = keysOf(first).at(-1);
    const rest = await suite.s3.send(new ListObjectsCommand({ Bucket: tree, Marker: last }));
    expect([...keysOf(first), ...keysOf(rest)]).toEqual(TREE_KEYS);
  });
});

describe("paginateListObjectsV2 over 2,500 keys", () => {
  const bases = ["a", "B", "é", "z", "~", "😀", "ｚ", "\u00ff", "A/", "a/b/"];
  const keys = [
    ...bases.filter((b) => !b.endsWith("/")),
    ...Array.from({ length: 2500 }, (_, i) => `${bases[i % bases.length]}${i}`),
  ];
  let big: string;
  beforeAll(async () => {
    big = await newBucket(keys);
  }, 120_000);

  it("returns every key once, in UTF-8 byte order, across pages", async () => {
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateListObjectsV2({ client: suite.s3, pageSize: 700 }, { Bucket: big })) {
      seen.push(...(keysOf(page) as string[]));
      pages++;
    }
    expect(pages).toBe(Math.ceil(keys.length / 700));
    expect(seen.length).toBe(keys.length);
    expect(seen).toEqual([...keys].sort(utf8Order));
    // The order JavaScript's default sort gives differs (surrogate pairs sort before U+FF5A there).
    expect(seen).not.toEqual([...keys].sort());
  });

  it("pages with a delimiter and a prefix", async () => {
    const seen: string[] = [];
    for await (const page of paginateListObjectsV2(
      { client: suite.s3, pageSize: 10 },
      { Bucket: big, Prefix: "a/", Delimiter: "/" },
    )) {
      seen.push(...(prefixesOf(page) as string[]), ...(keysOf(page) as string[]));
    }
    expect(seen).toEqual(["a/b/"]);
  });
});
