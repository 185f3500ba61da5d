/**
 * Many writers on one key at once, their bodies interleaved on the wire: the result must be one intact body
 * (never a mix), every version when versioning is on, no crash with deletes in between, and no blob left behind.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { countStoredBlobs, type RunningEmulator } from "@inv-emulator/s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { md5Hex } from "./support/digests.js";
import { bucketName, startTestEmulator } from "./support/emulator.js";
import {
  createBucket,
  eventually,
  keyPath,
  listKeys,
  listVersions,
  RawConnection,
  type RawResponse,
  rawRequest,
  requestHead,
  sleep,
} from "./support/raw-http.js";

const WRITERS = 20;
let base: string;
const emulators: RunningEmulator[] = [];

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), "inv-bad-concurrency-"));
});
afterAll(async () => {
  for (const emulator of emulators) await emulator.close();
  rmSync(base, { recursive: true, force: true });
});

/** A fresh data-dir emulator with one bucket, versioned or not. */
async function setUp(versioned: boolean) {
  const dataDir = mkdtempSync(join(base, "data-"));
  const emulator = await startTestEmulator({ dataDir, inMemory: false });
  emulators.push(emulator);
  const port = emulator.port;
  const bucket = bucketName("race");
  await createBucket(port, bucket);
  if (versioned) {
    const body = "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>";
    expect((await rawRequest(port, { method: "PUT", path: `/${bucket}?versioning`, body })).status).toBe(200);
  }
  const blobCount = () => countStoredBlobs(dataDir);
  const tmpCount = () => readdirSync(join(dataDir, "tmp")).length;
  return { port, bucket, path: keyPath(bucket, "contested.bin"), blobCount, tmpCount };
}

/** Distinct random bodies of distinct sizes. */
const makeBodies = () => Array.from({ length: WRITERS }, (_, i) => randomBytes(40_000 + i * 997));

/**
 * One connection per body; all heads first, then the bodies in four rounds, so every upload is in flight at
 * once. `between(round)` runs after each round (to slip other requests in). Resolves with the responses in order.
 */
async function interleavedPuts(port: number, path: string, bodies: Buffer[], between?: (round: number) => void) {
  const connections = await Promise.all(bodies.map(() => RawConnection.open(port)));
  await Promise.all(
    connections.map((c, i) =>
      c.write(requestHead(port, { method: "PUT", path, headers: { "content-length": bodies[i]!.length } })),
    ),
  );
  const rounds = 4;
  for (let round = 0; round < rounds; round++) {
    await Promise.all(
      connections.map((c, i) => {
        const body = bodies[i]!;
        const size = Math.ceil(body.length / rounds);
        return c.write(body.subarray(round * size, (round + 1) * size));
      }),
    );
    between?.(round);
    await sleep(5);
  }
  const responses = await Promise.all(connections.map((c) => c.readResponse()));
  for (const c of connections) c.destroy();
  return responses;
}

function expectAllStored(responses: RawResponse[], bodies: Buffer[]): void {
  responses.forEach((response, i) => {
    expect(response.status, response.text).toBe(200);
    expect(response.headers.etag).toBe(`"${md5Hex(bodies[i]!)}"`);
  });
}

/** GET returns one of `bodies`, byte for byte, with that body's ETag; returns its index. */
async function expectOneIntactBody(port: number, path: string, bodies: Buffer[]): Promise<number> {
  const got = await rawRequest(port, { method: "GET", path });
  expect(got.status, got.text).toBe(200);
  const index = bodies.findIndex((body) => body.equals(got.body));
  expect(index, "GET returned bytes that are none of the bodies sent").toBeGreaterThanOrEqual(0);
  expect(got.headers.etag).toBe(`"${md5Hex(got.body)}"`);
  expect(got.headers["content-length"]).toBe(String(bodies[index]!.length));
  return index;
}

describe("20 parallel PUTs of different bodies to one key", () => {
  it("unversioned: one body survives intact with its ETag, and the 19 replaced blobs are removed", async () => {
    const { port, bucket, path, blobCount, tmpCount } = await setUp(false);
    const bodies = makeBodies();
    expectAllStored(await interleavedPuts(port, path, bodies), bodies);
    const winner = await expectOneIntactBody(port, path, bodies);
    expect(await listKeys(port, bucket)).toEqual(["contested.bin"]);
    const versions = await listVersions(port, bucket);
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ versionId: "null", isLatest: true, etag: md5Hex(bodies[winner]!) });
    expect(await eventually(() => blobCount() === 1)).toBe(true);
    expect(tmpCount()).toBe(0);
  });

  it("versioning enabled: 20 versions, each with its own intact body, newest is what GET returns", async () => {
    const { port, bucket, path, blobCount } = await setUp(true);
    const bodies = makeBodies();
    const responses = await interleavedPuts(port, path, bodies);
    expectAllStored(responses, bodies);
    const versions = await listVersions(port, bucket);
    expect(versions).toHaveLength(WRITERS);
    expect(new Set(versions.map((v) => v.versionId)).size).toBe(WRITERS);
    expect(versions.filter((v) => v.isLatest)).toHaveLength(1);
    expect(versions[0]!.isLatest).toBe(true);
    // Each PUT's response names its version; the listing holds exactly those, each with the PUT's ETag.
    const byVersion = new Map(responses.map((r, i) => [r.headers["x-amz-version-id"], bodies[i]!]));
    expect(new Set(byVersion.keys())).toEqual(new Set(versions.map((v) => v.versionId)));
    for (const version of versions) {
      const body = byVersion.get(version.versionId)!;
      expect(version.etag).toBe(md5Hex(body));
      const got = await rawRequest(port, {
        method: "GET",
        path: `${path}?versionId=${encodeURIComponent(version.versionId)}`,
      });
      expect(got.body.equals(body)).toBe(true);
    }
    const latest = await expectOneIntactBody(port, path, bodies);
    expect(byVersion.get(versions[0]!.versionId)!.equals(bodies[latest]!)).toBe(true);
    expect(blobCount()).toBe(WRITERS);
  });
});

describe("PUTs and DELETEs on one key at once", () => {
  async function mixedRun(versioned: boolean) {
    const context = await setUp(versioned);
    const bodies = makeBodies();
    const deletes: Promise<RawResponse>[] = [];
    const puts = interleavedPuts(context.port, context.path, bodies, () => {
      for (let i = 0; i < WRITERS / 4; i++)
        deletes.push(rawRequest(context.port, { method: "DELETE", path: context.path }));
    });
    const putResponses = await puts;
    const deleteResponses = await Promise.all(deletes);
    expectAllStored(putResponses, bodies);
    expect(deleteResponses.map((r) => r.status)).toEqual(Array(WRITERS).fill(204));
    return { ...context, bodies };
  }

  it("unversioned: no crash; the key ends either absent or one intact body, with no blob left over", async () => {
    const { port, bucket, path, bodies, blobCount, tmpCount } = await mixedRun(false);
    const got = await rawRequest(port, { method: "GET", path });
    if (got.status === 200) await expectOneIntactBody(port, path, bodies);
    else expect(got.code).toBe("NoSuchKey");
    const present = got.status === 200 ? 1 : 0;
    expect(await listKeys(port, bucket)).toHaveLength(present);
    expect(await eventually(() => blobCount() === present)).toBe(true);
    expect(tmpCount()).toBe(0);
  });

  it("versioned: 20 versions and 20 delete markers, exactly one latest, and the server still takes writes", async () => {
    const { port, bucket, path, bodies } = await mixedRun(true);
    const versions = await listVersions(port, bucket);
    expect(versions.filter((v) => !v.deleteMarker)).toHaveLength(WRITERS);
    expect(versions.filter((v) => v.deleteMarker)).toHaveLength(WRITERS);
    expect(versions.filter((v) => v.isLatest)).toHaveLength(1);
    const got = await rawRequest(port, { method: "GET", path });
    if (versions[0]!.deleteMarker) expect(got.code).toBe("NoSuchKey");
    else await expectOneIntactBody(port, path, bodies);
    const after = await rawRequest(port, { method: "PUT", path, body: "after the storm" });
    expect(after.status).toBe(200);
    expect((await rawRequest(port, { method: "GET", path })).text).toBe("after the storm");
  });
});
