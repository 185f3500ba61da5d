// Bucket-policy decisions on the aws profile, with two accounts: alice (111122223333) creates the buckets, bob
// (444455556666) is another account. The owner needs no policy; anyone else needs an Allow; an explicit Deny wins,
// except that the owner can always manage the policy itself. Calls go through the JS SDK, the AWS CLI and boto3.
// Conditions are in policy-aws-conditions.test.ts, the documents themselves in policy-aws-documents.test.ts.
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectsCommand,
  GetObjectTaggingCommand,
  PutBucketPolicyCommand,
} from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { bucketName } from "./support/emulator.js";
import { alice, bob } from "./support/identities.js";
import { boto3As, expectCliError, expectCliOk, expectDenied, useActors } from "./support/policy-clients.js";

const KEYS: (string | [string, string])[] = ["public/a.txt", "private/b.txt", ["tagged.txt", "classification=public"]];
const A = "public/a.txt";

const $ = useActors([alice, bob]);

type Statement = Record<string, unknown>;
const forBob = (Effect: "Allow" | "Deny", fields: Statement): Statement => ({
  Effect,
  Principal: { AWS: bob.arn },
  ...fields,
});
/** alice's bucket with KEYS and a policy of these statements (given the bucket's ARN). */
const bucketWith = (statements?: (arn: string) => Statement[]) =>
  $.bucket(alice, KEYS, statements && ((b) => ({ Version: "2012-10-17", Statement: statements(`arn:aws:s3:::${b}`) })));

describe("principals, actions and resources", () => {
  it("the owner needs no policy; another account is denied until an Allow names its ARN", async () => {
    const bucket = await bucketWith();
    await $.put(alice, bucket, "public/new.txt");
    expectCliOk(await $.cli(alice, "s3", "ls", `s3://${bucket}/`));
    await expectDenied($.get(bob, bucket, A));
    expectCliError(await $.cliGet(bob, bucket, A), "AccessDenied");
    const script = `try:\n  s3.get_object(Bucket='${bucket}', Key='${A}'); print('null')\nexcept ClientError as e: print(json.dumps(e.response['Error']['Code']))`;
    expect(await boto3As($.emulator.endpoint, bob, script)).toBe("AccessDenied");
    await $.putPolicy(alice, bucket, {
      Statement: [forBob("Allow", { Action: "s3:GetObject", Resource: `arn:aws:s3:::${bucket}/*` })],
    });
    expect(await $.get(bob, bucket, A)).toBe(A);
    expectCliOk(await $.cli(bob, "s3", "cp", `s3://${bucket}/${A}`, "-"));
    await expectDenied($.put(bob, bucket, "public/new.txt"));
    await expectDenied($.list(bob, bucket));
    expectCliError(await $.cliList(bob, bucket), "AccessDenied");
  });

  it.each([["444455556666"], ["arn:aws:iam::444455556666:root"], ["*"]])(
    "a principal of %s names bob",
    async (principal) => {
      const bucket = await bucketWith((arn) => [
        { Effect: "Allow", Principal: { AWS: principal }, Action: "s3:GetObject", Resource: `${arn}/*` },
      ]);
      expect(await $.get(bob, bucket, A)).toBe(A);
    },
  );

  it("another account id or another user of bob's account does not name bob", async () => {
    const bucket = await bucketWith((arn) => [
      {
        Effect: "Allow",
        Principal: { AWS: ["999988887777", "arn:aws:iam::444455556666:user/carol"] },
        Action: "s3:*",
        Resource: `${arn}/*`,
      },
    ]);
    await expectDenied($.get(bob, bucket, A));
    expect(await $.get(alice, bucket, A)).toBe(A); // on AWS a policy that does not name the owner leaves it alone
  });

  it("Action wildcards and NotAction", async () => {
    const wild = await bucketWith((arn) => [forBob("Allow", { Action: "s3:Get*", Resource: `${arn}/*` })]);
    await $.get(bob, wild, A);
    await $.sdk(bob).send(new GetObjectTaggingCommand({ Bucket: wild, Key: "tagged.txt" }));
    await expectDenied($.put(bob, wild, "public/new.txt"));
    const not = await bucketWith((arn) => [
      forBob("Allow", { NotAction: ["s3:DeleteObject", "s3:ListBucket"], Resource: [arn, `${arn}/*`] }),
    ]);
    await $.put(bob, not, "public/new.txt");
    await $.get(bob, not, A);
    await expectDenied($.del(bob, not, A));
    await expectDenied($.list(bob, not));
  });

  it("Resource and NotResource wildcards", async () => {
    const res = await bucketWith((arn) => [forBob("Allow", { Action: "s3:GetObject", Resource: `${arn}/pub??c/*` })]);
    await $.get(bob, res, A);
    await expectDenied($.get(bob, res, "private/b.txt"));
    const notRes = await bucketWith((arn) => [
      forBob("Allow", { Action: "s3:GetObject", NotResource: `${arn}/private/*` }),
    ]);
    await $.get(bob, notRes, A);
    await expectDenied($.get(bob, notRes, "private/b.txt"));
  });

  it("NotPrincipal: a Deny for everyone but alice's account", async () => {
    const bucket = await bucketWith((arn) => [
      { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `${arn}/*` },
      { Effect: "Deny", NotPrincipal: { AWS: "111122223333" }, Action: "s3:GetObject", Resource: `${arn}/private/*` },
    ]);
    await $.get(bob, bucket, A);
    await expectDenied($.get(bob, bucket, "private/b.txt"));
    expect(await $.get(alice, bucket, "private/b.txt")).toBe("private/b.txt");
  });

  it("an explicit Deny beats ownership, but the owner can still read and delete the policy", async () => {
    const bucket = await bucketWith((arn) => [
      { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [arn, `${arn}/*`] },
    ]);
    await expectDenied($.get(alice, bucket, A));
    expectCliError(await $.cli(alice, "s3api", "delete-object", "--bucket", bucket, "--key", A), "AccessDenied");
    expectCliOk(await $.cli(alice, "s3api", "get-bucket-policy", "--bucket", bucket));
    expectCliOk(await $.cli(alice, "s3api", "delete-bucket-policy", "--bucket", bucket));
    expect(await $.get(alice, bucket, A)).toBe(A);
    // bob cannot put a policy on alice's bucket that would let him in.
    const policy = JSON.stringify({
      Statement: [forBob("Allow", { Action: "s3:*", Resource: `arn:aws:s3:::${bucket}/*` })],
    });
    await expectDenied($.sdk(bob).send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy })));
  });
});

describe("operations with more than one authorization", () => {
  it("DeleteObjects: a per-key Deny gives per-key AccessDenied errors, the other keys are deleted", async () => {
    const bucket = await bucketWith((arn) => [
      forBob("Allow", { Action: "s3:DeleteObject", Resource: `${arn}/*` }),
      forBob("Deny", { Action: "s3:DeleteObject", Resource: `${arn}/private/*` }),
    ]);
    const Objects = [{ Key: A }, { Key: "private/b.txt" }];
    const result = await $.sdk(bob).send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects } }));
    expect(result.Deleted?.map((d) => d.Key)).toEqual([A]);
    expect(result.Errors?.map((e) => [e.Key, e.Code])).toEqual([["private/b.txt", "AccessDenied"]]);
    const viaCli = await $.cli(
      bob,
      "s3api",
      "delete-objects",
      "--bucket",
      bucket,
      "--delete",
      JSON.stringify({ Objects: [{ Key: "tagged.txt" }, { Key: "private/b.txt" }] }),
    );
    expectCliOk(viaCli);
    const parsed = JSON.parse(viaCli.stdout) as { Deleted: { Key: string }[]; Errors: { Key: string; Code: string }[] };
    expect(parsed.Deleted.map((d) => d.Key)).toEqual(["tagged.txt"]);
    expect(parsed.Errors.map((e) => [e.Key, e.Code])).toEqual([["private/b.txt", "AccessDenied"]]);
    expect(await $.list(alice, bucket)).toEqual(["private/b.txt"]);
    // Without any Allow every key is refused, and still in the result rather than as a 403 for the request.
    const none = await bucketWith();
    const refused = await $.sdk(bob).send(
      new DeleteObjectsCommand({ Bucket: none, Delete: { Objects: [{ Key: A }] } }),
    );
    expect([refused.Deleted ?? [], refused.Errors?.map((e) => e.Code)]).toEqual([[], ["AccessDenied"]]);
  });

  it("CopyObject needs GetObject on the source as well as PutObject on the destination", async () => {
    const source = await bucketWith();
    const target = bucketName("bobs");
    await $.sdk(bob).send(new CreateBucketCommand({ Bucket: target }));
    const copy = (who: typeof alice, key: string) =>
      $.sdk(who).send(new CopyObjectCommand({ Bucket: target, Key: "copied.txt", CopySource: `${source}/${key}` }));
    await expectDenied(copy(bob, A));
    const cliCopy = await $.cli(
      bob,
      "s3api",
      "copy-object",
      "--bucket",
      target,
      "--key",
      "c.txt",
      "--copy-source",
      `${source}/${A}`,
    );
    expectCliError(cliCopy, "AccessDenied");
    await $.putPolicy(alice, source, {
      Statement: [forBob("Allow", { Action: "s3:GetObject", Resource: `arn:aws:s3:::${source}/public/*` })],
    });
    await copy(bob, A);
    expect(await $.get(bob, target, "copied.txt")).toBe(A);
    await expectDenied(copy(bob, "private/b.txt"));
    // alice owns the source but not the target: copying into bob's bucket needs PutObject there.
    await expectDenied(copy(alice, A));
  });
});
