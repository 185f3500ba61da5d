// The s3rver plugin authenticates its S3 routes (?inventory, ?policy) with s3rver's own authentication, so a
// request gets the same answer from them as from s3rver's routes: an unknown access key is InvalidAccessKeyId, a
// Signature V2 that does not match is SignatureDoesNotMatch, and s3rver's default key pair keeps working with the
// SDK and the AWS CLI. s3rver 3.7.1 does not compute Signature V4 (lib/middleware/authentication.js), so neither
// the plugin nor s3rver refuses an SDK request signed with the right key id and a wrong secret. The
// /_emulator/inventory/ control routes are not S3 and need no signature, as on the main engine.
import { createHmac } from "node:crypto";
import {
  GetBucketCorsCommand,
  GetBucketInventoryConfigurationCommand,
  PutBucketInventoryConfigurationCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bucketName } from "./support/emulator.js";
import { inventoryXml, minimalConfiguration } from "./support/inventory.js";
import { cliAs, expectCliOk } from "./support/policy-clients.js";
import { createBucket, expectS3Error, rawRequest } from "./support/raw-http.js";
import { type RunningS3rver, S3RVER_KEYS, s3rverClient, startS3rver } from "./support/s3rver.js";
import { expectSdkError } from "./support/sdk.js";

let s3rver: RunningS3rver;
const clients: S3Client[] = [];
const source = bucketName("auth");
const dest = bucketName("auth-dest");

/** A client of this s3rver with other keys; destroyed after the file. */
function clientWith(credentials: { accessKeyId: string; secretAccessKey: string }): S3Client {
  const client = s3rverClient(s3rver.endpoint, { credentials });
  clients.push(client);
  return client;
}

const putInventory = (s3: S3Client) =>
  s3.send(
    new PutBucketInventoryConfigurationCommand({
      Bucket: source,
      Id: "signed",
      InventoryConfiguration: {
        Id: "signed",
        IsEnabled: true,
        IncludedObjectVersions: "Current",
        Schedule: { Frequency: "Daily" },
        Destination: { S3BucketDestination: { Bucket: `arn:aws:s3:::${dest}`, Format: "CSV" } },
      },
    }),
  );

beforeAll(async () => {
  s3rver = await startS3rver();
  await createBucket(s3rver.port, source);
  await createBucket(s3rver.port, dest);
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  await s3rver?.close();
});

describe("the JS SDK (Signature V4)", () => {
  it("an unknown access key is InvalidAccessKeyId on PutBucketInventoryConfiguration, as on s3rver's own routes", async () => {
    const stranger = clientWith({ accessKeyId: "AKIAUNKNOWN", secretAccessKey: "S3RVER" });
    await expectSdkError(putInventory(stranger), "InvalidAccessKeyId", 403);
    await expectSdkError(stranger.send(new GetBucketCorsCommand({ Bucket: source })), "InvalidAccessKeyId", 403);
    await expectSdkError(
      stranger.send(new GetBucketInventoryConfigurationCommand({ Bucket: source, Id: "signed" })),
      "InvalidAccessKeyId",
      403,
    );
  });

  it("s3rver's key pair works; a wrong secret passes the plugin exactly as it passes s3rver (no V4 check)", async () => {
    await putInventory(clientWith(S3RVER_KEYS));
    const wrongSecret = clientWith({ accessKeyId: "S3RVER", secretAccessKey: "not-the-secret" });
    await wrongSecret.send(new PutObjectCommand({ Bucket: source, Key: "k", Body: "v" }));
    await putInventory(wrongSecret);
  });
});

describe("Signature V2 (the only signature s3rver computes)", () => {
  /** s3rver's V2 string to sign for a header-signed request without Content-MD5 and x-amz headers: it leaves the
   * Date out (its canonical request has no timestamp for the header form), so a standard V2 signer cannot be used. */
  const authorization = (method: string, contentType: string, resource: string, secret: string) =>
    `AWS S3RVER:${createHmac("sha1", secret).update(`${method}\n\n${contentType}\n\n${resource}`).digest("base64")}`;
  const putRequest = (secret: string) => ({
    method: "PUT",
    path: `/${source}?inventory&id=v2`,
    headers: {
      date: new Date().toUTCString(),
      "content-type": "application/xml",
      authorization: authorization("PUT", "application/xml", `/${source}?inventory`, secret),
    },
    body: inventoryXml(minimalConfiguration("v2", dest)),
  });

  it("a signature made with another secret is SignatureDoesNotMatch, on the plugin's routes and on s3rver's", async () => {
    expectS3Error(await rawRequest(s3rver.port, putRequest("wrong")), 403, "SignatureDoesNotMatch");
    const cors = await rawRequest(s3rver.port, {
      method: "GET",
      path: `/${source}?cors`,
      headers: { date: new Date().toUTCString(), authorization: authorization("GET", "", `/${source}?cors`, "wrong") },
    });
    expectS3Error(cors, 403, "SignatureDoesNotMatch");
  });

  it("the same request signed with s3rver's secret is accepted: the plugin signs the resource as s3rver does", async () => {
    const response = await rawRequest(s3rver.port, putRequest("S3RVER"));
    expect(response.status, response.text).toBe(204);
  });
});

it("the AWS CLI with s3rver's key pair puts and gets a configuration", async () => {
  const cli = (args: string[]) => cliAs(s3rver.endpoint, S3RVER_KEYS, args);
  const configuration = JSON.stringify(minimalConfiguration("from-cli", dest));
  const put = ["s3api", "put-bucket-inventory-configuration", "--bucket", source, "--id", "from-cli"];
  expectCliOk(await cli([...put, "--inventory-configuration", configuration]));
  expectCliOk(await cli(["s3api", "get-bucket-inventory-configuration", "--bucket", source, "--id", "from-cli"]));
});

it("control routes need no signature, and ignore a bad one, as the main engine's do", async () => {
  const response = await fetch(`${s3rver.endpoint}/_emulator/inventory/runs?bucket=${source}`, {
    headers: { authorization: "AWS NOBODY:bad" },
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ runs: [] });
});
