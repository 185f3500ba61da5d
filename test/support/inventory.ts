/**
 * Inventory configuration tests: an emulator with the inventory plugin, configurations as the clients model them
 * (the JS SDK's and botocore's `InventoryConfiguration` shape, which is also the CLI's JSON), their XML as a client
 * would send it (any element order, with or without declaration and namespace), and raw calls of the four operations.
 */
import type { InventoryConfiguration } from "@aws-sdk/client-s3";
import { inventoryPlugin } from "@inv-emulator/inventory";
import { type EmulatorOptions, type RunningEmulator, startEmulator } from "@inv-emulator/s3";
import { expect } from "vitest";
import { rawRequest } from "./raw-http.js";

/** The SDK's shape with its enums widened to strings (fields newer than the SDK, CoreWeave's values). */
export type Configuration = Omit<InventoryConfiguration, "OptionalFields" | "IncludedObjectVersions"> & {
  OptionalFields?: string[];
  IncludedObjectVersions?: string;
};

/** For the SDK's commands, which type the enums narrowly but send any string. */
export const forSdk = (configuration: Configuration) => configuration as InventoryConfiguration;

/** An emulator with the inventory plugin, in memory on a free port unless told otherwise. */
export function startInventoryEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({
    port: 0,
    inMemory: true,
    ...options,
    plugins: [inventoryPlugin(), ...(options.plugins ?? [])],
  });
}

/** spec/inventory.md §1.5: Amazon S3's 19 optional fields in the current model order. */
export const ALL_AWS_FIELDS = [
  "Size",
  "LastModifiedDate",
  "StorageClass",
  "ETag",
  "IsMultipartUploaded",
  "ReplicationStatus",
  "EncryptionStatus",
  "ObjectLockRetainUntilDate",
  "ObjectLockMode",
  "ObjectLockLegalHoldStatus",
  "ObjectLockEventHoldStatus",
  "ObjectLockEventHoldDuration",
  "IntelligentTieringAccessTier",
  "BucketKeyStatus",
  "ChecksumAlgorithm",
  "ObjectAccessControlList",
  "ObjectOwner",
  "LifecycleExpirationDate",
  "IntelligentTieringReferenceDate",
];

/** The spec's error messages (§1.4, recorded against AWS where marked there). */
export const MESSAGES = {
  MalformedXML: "The XML you provided was not well-formed or did not validate against our published schema",
  IdMismatch: "Document ID does not match the specified configuration ID.",
  InvalidS3DestinationBucket: "Invalid bucket ARN.",
  NoSuchConfiguration: "The specified configuration does not exist.",
} as const;

/** The smallest valid configuration: every required member, nothing else. */
export function minimalConfiguration(id: string, destination: string): Configuration {
  return {
    Id: id,
    IsEnabled: true,
    Destination: { S3BucketDestination: { Bucket: `arn:aws:s3:::${destination}`, Format: "CSV" } },
    Schedule: { Frequency: "Daily" },
    IncludedObjectVersions: "All",
  };
}

/** Every member set (as the spec/clients.md §1.3 captures have it), with SSE-KMS and all 19 AWS fields. */
export function fullConfiguration(id: string, destination: string): Configuration {
  return {
    Id: id,
    IsEnabled: false,
    Filter: { Prefix: "data/" },
    Destination: {
      S3BucketDestination: {
        AccountId: "123456789012",
        Bucket: `arn:aws:s3:::${destination}`,
        Format: "Parquet",
        Prefix: "inv",
        Encryption: { SSEKMS: { KeyId: "arn:aws:kms:us-east-1:123456789012:key/abcd" } },
      },
    },
    Schedule: { Frequency: "Weekly" },
    IncludedObjectVersions: "Current",
    OptionalFields: [...ALL_AWS_FIELDS],
  };
}

/** A copy of `value` with the member at `path` (dotted) set, or removed when `replacement` is undefined. */
export function edited<T extends object>(value: T, path: string, replacement?: unknown): T {
  const copy = structuredClone(value) as Record<string, unknown>;
  const names = path.split(".");
  const last = names.pop() as string;
  let node = copy;
  for (const name of names) node = node[name] as Record<string, unknown>;
  if (replacement === undefined) delete node[last];
  else node[last] = replacement;
  return copy as T;
}

export interface XmlOptions {
  /** Default true. */
  declaration?: boolean;
  /** Default true. */
  namespace?: boolean;
  /** Reorders the members of every element; default keeps the object's order. */
  order?: (names: string[]) => string[];
}

const ELEMENT_NAMES: Record<string, string> = { SSES3: "SSE-S3", SSEKMS: "SSE-KMS" };
const escapeText = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function members(value: object, options: XmlOptions): string {
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  const names = options.order ? options.order(entries.map(([name]) => name)) : entries.map(([name]) => name);
  return names
    .map((name) => {
      const v = (value as Record<string, unknown>)[name];
      const tag = ELEMENT_NAMES[name] ?? name;
      if (Array.isArray(v))
        return `<${tag}>${v.map((field) => `<Field>${escapeText(String(field))}</Field>`).join("")}</${tag}>`;
      if (typeof v === "object" && v !== null) return `<${tag}>${members(v, options)}</${tag}>`;
      return `<${tag}>${escapeText(String(v))}</${tag}>`;
    })
    .join("");
}

/** The PUT body for `configuration` (any object: bad values and unknown members are serialized as given). */
export function inventoryXml(configuration: object, options: XmlOptions = {}): string {
  const declaration = options.declaration === false ? "" : '<?xml version="1.0" encoding="UTF-8"?>';
  const namespace = options.namespace === false ? "" : ' xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';
  return `${declaration}<InventoryConfiguration${namespace}>${members(configuration, options)}</InventoryConfiguration>`;
}

/** A deterministic permutation (a fixed seed per call site), so "shuffled" means the same order on every run. */
export function shuffled<T>(items: readonly T[], seed = 7): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

type Headers = Record<string, string | number | null>;
const idQuery = (id: string) => `id=${encodeURIComponent(id)}`;

/** The four operations over raw HTTP (unsigned: the default owner when no strict auth). */
export const raw = {
  put: (port: number, bucket: string, id: string, body: string, headers: Headers = {}) =>
    rawRequest(port, { method: "PUT", path: `/${bucket}?inventory&${idQuery(id)}`, headers, body }),
  get: (port: number, bucket: string, id: string, headers: Headers = {}) =>
    rawRequest(port, { method: "GET", path: `/${bucket}?inventory&${idQuery(id)}`, headers }),
  list: (port: number, bucket: string, token?: string, headers: Headers = {}) =>
    rawRequest(port, {
      method: "GET",
      path: `/${bucket}?inventory${token === undefined ? "" : `&continuation-token=${encodeURIComponent(token)}`}`,
      headers,
    }),
  delete: (port: number, bucket: string, id: string, headers: Headers = {}) =>
    rawRequest(port, {
      method: "DELETE",
      path: `/${bucket}?inventory&${idQuery(id)}`,
      headers: { "content-length": 0, ...headers },
    }),
};

/** PUTs many configurations over raw HTTP, `batch` at a time, each expected to succeed. */
export async function putMany(
  port: number,
  bucket: string,
  configurations: Configuration[],
  batch = 50,
): Promise<void> {
  for (let i = 0; i < configurations.length; i += batch) {
    const responses = await Promise.all(
      configurations.slice(i, i + batch).map((c) => raw.put(port, bucket, c.Id as string, inventoryXml(c))),
    );
    for (const response of responses) expect(response.status, response.text).toBe(204);
  }
}
