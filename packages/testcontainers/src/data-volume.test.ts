import { randomBytes } from "node:crypto";
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListBucketsCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { getContainerRuntimeClient } from "testcontainers";
import { afterAll, expect, it } from "vitest";
import { InvEmulatorContainer } from "./inv-emulator-container.js";
import { describeWithDocker, TEST_IMAGE } from "./test-support.js";

describeWithDocker("InvEmulatorContainer with a data volume", () => {
  const volume = `inv-emulator-test-${randomBytes(4).toString("hex")}`;
  afterAll(async () => {
    // Named volumes outlive their containers (only anonymous ones go with them).
    const client = await getContainerRuntimeClient();
    await client.container.dockerode
      .getVolume(volume)
      .remove()
      .catch(() => {});
  });

  it("keeps buckets and objects when a new container mounts the same volume", async () => {
    const first = await new InvEmulatorContainer(TEST_IMAGE).withDataVolume(volume).start();
    const s3 = new S3Client(first.getClientConfig());
    await s3.send(new CreateBucketCommand({ Bucket: "kept" }));
    await s3.send(new PutObjectCommand({ Bucket: "kept", Key: "dir/object.txt", Body: "still here" }));
    s3.destroy();
    // A graceful stop: SIGTERM, the emulator closes its database, then the container exits.
    await first.stop({ timeout: 10_000 });

    const second = await new InvEmulatorContainer(TEST_IMAGE).withDataVolume(volume).start();
    try {
      const again = new S3Client(second.getClientConfig());
      expect(second.getEndpoint()).not.toBe(first.getEndpoint());
      const buckets = await again.send(new ListBucketsCommand({}));
      expect(buckets.Buckets?.map((bucket) => bucket.Name)).toEqual(["kept"]);
      const object = await again.send(new GetObjectCommand({ Bucket: "kept", Key: "dir/object.txt" }));
      expect(await object.Body?.transformToString()).toBe("still here");
      again.destroy();
    } finally {
      await second.stop();
    }
  });

  it("keeps data across restart() of the same container (the image's /data volume)", async () => {
    const container = await new InvEmulatorContainer(TEST_IMAGE).start();
    try {
      const s3 = new S3Client(container.getClientConfig());
      await s3.send(new CreateBucketCommand({ Bucket: "restarted" }));
      s3.destroy();
      await container.restart();
      const after = new S3Client(container.getClientConfig());
      const buckets = await after.send(new ListBucketsCommand({}));
      expect(buckets.Buckets?.map((bucket) => bucket.Name)).toEqual(["restarted"]);
      after.destroy();
    } finally {
      await container.stop();
    }
  });
});
