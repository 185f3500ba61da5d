// The s3rver plugin keeps its files in bucket directories under s3rver's own directory. A request whose "bucket"
// is no bucket name (`..`, `a/../b`, percent-encoded so that it reaches the plugin as one path segment) must not
// read, write or delete anything outside it, signed or not.
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bucketName } from "./support/emulator.js";
import { inventoryXml, minimalConfiguration } from "./support/inventory.js";
import { createBucket, rawRequest } from "./support/raw-http.js";
import { type RunningS3rver, startS3rver } from "./support/s3rver.js";

const parent = mkdtempSync(join(tmpdir(), "s3rver-paths-"));
const directory = join(parent, "data");
let s3rver: RunningS3rver;
const bucket = bucketName("paths");
const POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::x/*" }],
});

beforeAll(async () => {
  mkdirSync(directory);
  s3rver = await startS3rver({ directory });
  await createBucket(s3rver.port, bucket);
});
afterAll(async () => {
  await s3rver?.close();
  rmSync(parent, { recursive: true, force: true });
});

describe.each(["%2e%2e", "%2e%2e%2f%2e%2e", "%2e", `${bucket}%2f%2e%2e%2f%2e%2e`, "x%2f..%2f.."])(
  "bucket %s",
  (name) => {
    it.each([
      ["PUT", "?policy", POLICY],
      ["GET", "?policy", undefined],
      ["DELETE", "?policy", undefined],
      ["PUT", "?inventory&id=x", inventoryXml(minimalConfiguration("x", "dest-bucket"))],
      ["GET", "?inventory&id=x", undefined],
      ["GET", "?inventory", undefined],
      ["DELETE", "?inventory&id=x", undefined],
    ])("%s %s is 404 NoSuchBucket and nothing outside s3rver's directory changes", async (method, query, body) => {
      const response = await rawRequest(s3rver.port, {
        method,
        path: `/${name}${query}`,
        ...(body === undefined ? {} : { body }),
      });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(readdirSync(parent)).toEqual(["data"]);
      expect(readdirSync(directory)).toEqual([bucket]);
    });
  },
);

it("the real bucket still takes a policy", async () => {
  const response = await rawRequest(s3rver.port, {
    method: "PUT",
    path: `/${bucket}?policy`,
    body: POLICY.replace("arn:aws:s3:::x/*", `arn:aws:s3:::${bucket}/*`),
  });
  expect(response.status).toBe(204);
});
