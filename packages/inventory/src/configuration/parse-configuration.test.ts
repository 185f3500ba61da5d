// parseConfiguration at function level: what it stores for each shape clients send (spec/clients.md §1.3: any element
// order, declaration and namespace optional), every error of spec/inventory.md §1.4 and their order, the Id rule,
// and the profile tables (spec §1.5, §3).
import { describe, expect, it } from "vitest";
import { AWS_OPTIONAL_FIELDS, COREWEAVE_OPTIONAL_FIELDS, INVENTORY_PROFILES } from "../profiles.js";
import type { InventoryConfiguration } from "./inventory-configuration.js";
import { parseConfiguration } from "./parse-configuration.js";

const AWS = INVENTORY_PROFILES.aws;
const CW = INVENTORY_PROFILES.coreweave;
type Profile = typeof AWS;

/** A configuration as clients model it (PascalCase members; SSES3/SSEKMS; OptionalFields a list). */
type Doc = { [name: string]: Doc | string | boolean | string[] };
const TAGS: Record<string, string> = { SSES3: "SSE-S3", SSEKMS: "SSE-KMS" };
const escapeText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

function xml(
  doc: Doc,
  order: (names: string[]) => string[] = (n) => n,
  prelude = '<?xml version="1.0" encoding="UTF-8"?>',
): string {
  const body = (d: Doc): string =>
    order(Object.keys(d))
      .map((name) => {
        const v = d[name] as Doc[string];
        const tag = TAGS[name] ?? name;
        if (Array.isArray(v)) return `<${tag}>${v.map((f) => `<Field>${escapeText(f)}</Field>`).join("")}</${tag}>`;
        return `<${tag}>${typeof v === "object" ? body(v) : escapeText(String(v))}</${tag}>`;
      })
      .join("");
  return `${prelude}<InventoryConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${body(doc)}</InventoryConfiguration>`;
}

/** `doc` with the member at a dotted path replaced, or removed when `value` is undefined. */
function edit(doc: Doc, path: string, value?: Doc[string]): Doc {
  const copy = structuredClone(doc);
  const names = path.split(".");
  const last = names.pop() as string;
  let node = copy;
  for (const name of names) node = node[name] as Doc;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

const parse = (doc: Doc | string, id = "x", profile: Profile = AWS) =>
  parseConfiguration(Buffer.from(typeof doc === "string" ? doc : xml(doc)), id, profile);

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

// The spec/clients.md §1.3 capture's configuration, in the CLI's (model) member order.
const FULL: Doc = {
  Destination: {
    S3BucketDestination: {
      AccountId: "123456789012",
      Bucket: "arn:aws:s3:::dest-bucket",
      Format: "CSV",
      Prefix: "inv",
      Encryption: { SSEKMS: { KeyId: "arn:aws:kms:us-east-1:123456789012:key/abcd" } },
    },
  },
  IsEnabled: true,
  Filter: { Prefix: "data/" },
  Id: "x",
  IncludedObjectVersions: "All",
  OptionalFields: ["Size", "LastModifiedDate", "ETag"],
  Schedule: { Frequency: "Daily" },
};
const STORED_FULL: InventoryConfiguration = {
  id: "x",
  isEnabled: true,
  filterPrefix: "data/",
  destination: {
    bucketArn: "arn:aws:s3:::dest-bucket",
    accountId: "123456789012",
    format: "CSV",
    prefix: "inv",
    encryption: { type: "SSE-KMS", keyId: "arn:aws:kms:us-east-1:123456789012:key/abcd" },
  },
  frequency: "Daily",
  includedObjectVersions: "All",
  optionalFields: ["Size", "LastModifiedDate", "ETag"],
};
const MINIMAL: Doc = {
  Id: "x",
  IsEnabled: false,
  Destination: { S3BucketDestination: { Bucket: "arn:aws:s3:::dest-bucket", Format: "ORC" } },
  Schedule: { Frequency: "Weekly" },
  IncludedObjectVersions: "Current",
};

// spec/clients.md §1.3: the JS SDK sends required members first (at every level).
const JS_ORDER = [
  "Destination",
  "Bucket",
  "Format",
  "AccountId",
  "Prefix",
  "Encryption",
  "IsEnabled",
  "Id",
  "IncludedObjectVersions",
  "Schedule",
  "Filter",
  "OptionalFields",
];

describe("what is stored", () => {
  it("every member, in the CLI's order", () => {
    expect(parse(FULL)).toStrictEqual(STORED_FULL);
  });

  it.each([
    [
      "the JS SDK's order",
      (n: string[]) => [
        ...JS_ORDER.filter((name) => n.includes(name)),
        ...n.filter((name) => !JS_ORDER.includes(name)),
      ],
    ],
    ["reversed", (n: string[]) => [...n].reverse()],
    ["sorted", (n: string[]) => [...n].sort()],
  ])("the same in %s", (_label, order) => {
    expect(parse(xml(FULL, order))).toStrictEqual(STORED_FULL);
  });

  it("without declaration or namespace, pretty-printed, or with a namespace prefix", () => {
    const plain = xml(FULL, undefined, "").replace(' xmlns="http://s3.amazonaws.com/doc/2006-03-01/"', "");
    expect(parse(plain)).toStrictEqual(STORED_FULL);
    expect(parse(xml(FULL).replace(/></g, ">\n  <"))).toStrictEqual(STORED_FULL);
    const prefixed = xml(FULL)
      .replace(/<(\/?)([A-Z])/g, "<$1s3:$2")
      .replace("xmlns=", "xmlns:s3=");
    expect(parse(prefixed)).toStrictEqual(STORED_FULL);
  });

  it("only the required members: nothing optional appears, IsEnabled false is false", () => {
    expect(parse(MINIMAL)).toStrictEqual({
      id: "x",
      isEnabled: false,
      destination: { bucketArn: "arn:aws:s3:::dest-bucket", format: "ORC" },
      frequency: "Weekly",
      includedObjectVersions: "Current",
    });
  });

  it("SSE-S3, an empty OptionalFields, an empty Filter Prefix, XML entities decoded", () => {
    const doc = edit(
      edit(edit(MINIMAL, "Destination.S3BucketDestination.Encryption", { SSES3: {} }), "OptionalFields", []),
      "Filter",
      {
        Prefix: "a&b <c> ",
      },
    );
    const stored = parse(doc);
    expect(stored.destination.encryption).toEqual({ type: "SSE-S3" });
    expect(stored.optionalFields).toEqual([]);
    expect(stored.filterPrefix).toBe("a&b <c> ");
    expect(parse(edit(MINIMAL, "Filter", { Prefix: "" })).filterPrefix).toBe("");
  });

  it("IsEnabled true and false, as clients write them", () => {
    expect(parse(edit(MINIMAL, "IsEnabled", "true")).isEnabled).toBe(true);
    expect(parse(edit(MINIMAL, "IsEnabled", "false")).isEnabled).toBe(false);
  });
});

describe("MalformedXML (spec §1.4)", () => {
  it.each<[string, string, Doc[string] | undefined]>([
    ["Format", "Destination.S3BucketDestination.Format", "XLS"],
    ["Format lower-case", "Destination.S3BucketDestination.Format", "csv"],
    ["Frequency", "Schedule.Frequency", "Hourly"],
    ["IncludedObjectVersions", "IncludedObjectVersions", "Bogus"],
    ["IsEnabled", "IsEnabled", "yes"],
    ["an unknown Field", "OptionalFields", ["Size", "NotAField"]],
    ["an empty Field", "OptionalFields", [""]],
    ["SSE-KMS without KeyId", "Destination.S3BucketDestination.Encryption", { SSEKMS: {} }],
    ["SSE-KMS with an empty KeyId", "Destination.S3BucketDestination.Encryption", { SSEKMS: { KeyId: "" } }],
    ["both SSE-S3 and SSE-KMS", "Destination.S3BucketDestination.Encryption", { SSES3: {}, SSEKMS: { KeyId: "k" } }],
    ["an empty Encryption", "Destination.S3BucketDestination.Encryption", {}],
    ["no Id", "Id", undefined],
    ["no IsEnabled", "IsEnabled", undefined],
    ["no Destination", "Destination", undefined],
    ["no S3BucketDestination", "Destination.S3BucketDestination", undefined],
    ["no Bucket", "Destination.S3BucketDestination.Bucket", undefined],
    ["no Format", "Destination.S3BucketDestination.Format", undefined],
    ["no Schedule", "Schedule", undefined],
    ["no Frequency", "Schedule.Frequency", undefined],
    ["no IncludedObjectVersions", "IncludedObjectVersions", undefined],
    ["a Filter without Prefix", "Filter.Prefix", undefined],
  ])("%s", (_label, path, value) => {
    expect(codeOf(() => parse(edit(FULL, path, value)))).toBe("MalformedXML");
  });

  it.each([
    ["empty", ""],
    ["text", "not xml"],
    ["JSON", '{"Id":"x"}'],
    ["truncated", xml(FULL).slice(0, -10)],
    ["another root", xml(FULL).replaceAll("InventoryConfiguration", "LifecycleConfiguration")],
    [
      "a DOCTYPE with an entity",
      `<!DOCTYPE a [<!ENTITY e "x">]>${xml(edit(FULL, "Id", "&e;")).replace("&amp;e;", "&e;")}`,
    ],
  ])("a body that is %s", (_label, body) => {
    expect(codeOf(() => parse(body))).toBe("MalformedXML");
  });
});

describe("Id, destination and the order of checks", () => {
  it("a body Id other than ?id= is IdMismatch", () => {
    expect(codeOf(() => parse(FULL, "y"))).toBe("IdMismatch");
    expect(codeOf(() => parse(FULL, "X"))).toBe("IdMismatch");
  });

  it.each(["a".repeat(65), "a b", "a/b", "é", "a+b"])("Id %j is InvalidArgument", (id) => {
    expect(codeOf(() => parse(edit(FULL, "Id", id), id))).toBe("InvalidArgument");
  });

  it("Ids of 1 and 64 characters of [A-Za-z0-9._-] are accepted", () => {
    for (const id of ["a", `Az09._-${"b".repeat(57)}`]) expect(parse(edit(FULL, "Id", id), id).id).toBe(id);
  });

  it.each([
    "dest-bucket",
    "arn:aws:s3:::",
    "arn:aws:s3:::ab",
    "arn:aws:s3:::Dest",
    "arn:aws:s3:::dest/p",
    "arn:aws:s3::123:dest",
  ])("destination %j is InvalidS3DestinationBucket", (bucket) => {
    expect(codeOf(() => parse(edit(FULL, "Destination.S3BucketDestination.Bucket", bucket)))).toBe(
      "InvalidS3DestinationBucket",
    );
  });

  it("schema before Id before Id rules before destination (LocalStack's order)", () => {
    const plain = edit(FULL, "Destination.S3BucketDestination.Bucket", "dest-bucket");
    expect(codeOf(() => parse(edit(plain, "Schedule.Frequency", "Hourly"), "y"))).toBe("MalformedXML");
    expect(codeOf(() => parse(plain, "y"))).toBe("IdMismatch");
    expect(codeOf(() => parse(edit(plain, "Id", "a b"), "a b"))).toBe("InvalidArgument");
    expect(codeOf(() => parse(plain))).toBe("InvalidS3DestinationBucket");
  });
});

describe("profiles", () => {
  const format = (f: string) => edit(MINIMAL, "Destination.S3BucketDestination.Format", f);
  const fields = (list: string[]) => edit(MINIMAL, "OptionalFields", list);

  it("formats: aws CSV/ORC/Parquet; coreweave adds TSV and JSON", () => {
    for (const f of ["CSV", "ORC", "Parquet"]) expect(parse(format(f), "x", AWS).destination.format).toBe(f);
    for (const f of ["CSV", "TSV", "JSON", "ORC", "Parquet"])
      expect(parse(format(f), "x", CW).destination.format).toBe(f);
    for (const f of ["TSV", "JSON"]) expect(codeOf(() => parse(format(f), "x", AWS))).toBe("MalformedXML");
  });

  it("optional fields: all 19 of AWS's on aws, in the order given; CoreWeave's 8 on coreweave", () => {
    expect(AWS_OPTIONAL_FIELDS).toHaveLength(19);
    const reversed = [...AWS_OPTIONAL_FIELDS].reverse();
    expect(parse(fields(reversed), "x", AWS).optionalFields).toEqual(reversed);
    expect(parse(fields([...COREWEAVE_OPTIONAL_FIELDS]), "x", CW).optionalFields).toEqual(COREWEAVE_OPTIONAL_FIELDS);
    expect(codeOf(() => parse(fields(["LastAccessedDate"]), "x", AWS))).toBe("MalformedXML");
  });

  it.each(AWS_OPTIONAL_FIELDS.filter((f) => !(COREWEAVE_OPTIONAL_FIELDS as readonly string[]).includes(f)))(
    "coreweave refuses the AWS-only field %s",
    (field) => {
      expect(codeOf(() => parse(fields(["Size", field]), "x", CW))).toBe("MalformedXML");
    },
  );

  it("IncludedObjectVersions Latest: kept as written on coreweave, MalformedXML on aws", () => {
    const latest = edit(MINIMAL, "IncludedObjectVersions", "Latest");
    expect(parse(latest, "x", CW).includedObjectVersions).toBe("Latest");
    expect(codeOf(() => parse(latest, "x", AWS))).toBe("MalformedXML");
  });
});
