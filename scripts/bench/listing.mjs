/** Listing a whole bucket through the AWS SDK for JavaScript v3, the way an integration test would. */

import { performance } from "node:perf_hooks";
import { ListObjectsCommand, paginateListObjectsV2, S3Client } from "@aws-sdk/client-s3";

export function sdkClient(endpoint) {
  return new S3Client({
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    // s3rver verifies signatures against its built-in account; the emulator accepts any key.
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  });
}

/** ListObjectsV2 through the SDK paginator; resolves with the number of keys seen (stops after `maxPages`). */
async function listV2(client, bucket, maxPages = Infinity) {
  let keys = 0;
  let pages = 0;
  for await (const page of paginateListObjectsV2({ client, pageSize: 1000 }, { Bucket: bucket })) {
    keys += page.Contents?.length ?? 0;
    if (++pages >= maxPages) break;
  }
  return keys;
}

/** ListObjects (V1), paging by the last key: the fallback when a server's V2 paging fails. */
async function listV1(client, bucket) {
  let keys = 0;
  let marker;
  for (;;) {
    const page = await client.send(new ListObjectsCommand({ Bucket: bucket, Marker: marker, MaxKeys: 1000 }));
    keys += page.Contents?.length ?? 0;
    if (!page.IsTruncated || !page.Contents?.length) return keys;
    marker = page.NextMarker ?? page.Contents.at(-1).Key;
  }
}

/**
 * Lists `bucket` `repeats` times. Returns wall ms per listing, the keys seen, the server CPU spent (ms) and
 * which API was used: "V2", or "V1" when V2 failed (reported, never hidden).
 */
export async function timeListing(server, bucket, repeats) {
  const client = sdkClient(server.endpoint);
  let api = "V2";
  let list = listV2;
  try {
    await listV2(client, bucket, 3); // warm-up, and a probe of V2 paging (continuation tokens)
  } catch (error) {
    api = "V1";
    list = listV1;
    console.error(`  ${server.kind}: ListObjectsV2 failed (${error.name}: ${error.message}); using ListObjects V1`);
  }
  const walls = [];
  let keys = 0;
  const cpuBefore = await server.cpu();
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    keys = await list(client, bucket);
    walls.push(performance.now() - started);
  }
  const serverCpuMs = ((await server.cpu()) - cpuBefore) / repeats;
  client.destroy();
  return { walls, keys, serverCpuMs, api };
}
