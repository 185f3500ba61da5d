/**
 * Debian's boto3 1.26.27 / botocore 1.29.27 (/usr/bin/python3) against the engine over HTTP.
 * Each snippet prints one JSON document. Retries are off so that an error is the engine's first answer.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { md5Bytes, md5Hex, multipartEtag, sha256Base64, sha256Bytes, sha256Hex } from "./support/digests.js";
import { boto3, bucketName } from "./support/emulator.js";
import { putObjects } from "./support/sdk.js";
import { useEmulator, useTempDir } from "./support/suite.js";

const MiB = 1024 * 1024;
/** What `error(...)` in a snippet returns for a ClientError with this code and HTTP status. */
const clientError = (code: string, status: number) => expect.objectContaining({ code, status });
const suite = useEmulator();
const tmp = useTempDir("boto3-").path;

/** Helpers every snippet gets: `s3` without retries, `error(call, **kw)` -> code/status/headers, `out(value)`. */
const HELPERS = `
from botocore.config import Config
import base64, hashlib, zlib
s3 = boto3.client('s3', endpoint_url=ENDPOINT, config=Config(retries={'total_max_attempts': 1}))
def error(call, **kw):
    try:
        call(**kw)
    except ClientError as e:
        meta = e.response['ResponseMetadata']
        return {'code': e.response['Error']['Code'], 'status': meta['HTTPStatusCode'], 'headers': meta['HTTPHeaders'], 'error': e.response['Error']}
    return None
def out(value): print(json.dumps(value, default=str))
def b64(digest): return base64.b64encode(digest).decode()
`;

/** `await py(bucket)\`...\``: runs the snippet after HELPERS with `B` = bucket, common indentation removed. */
function py(bucket: string) {
  // biome-ignore lint/suspicious/noExplicitAny: snippet output is checked field by field
  return (strings: TemplateStringsArray, ...values: unknown[]): Promise<any> => {
    const script = strings.reduce((text, part, i) => text + part + (i < values.length ? String(values[i]) : ""), "");
    const lines = script.split("\n").filter((line) => line.trim() !== "");
    const indent = Math.min(...lines.map((line) => (line.match(/^ */) as RegExpMatchArray)[0].length));
    const body = lines.map((line) => line.slice(indent)).join("\n");
    return boto3(suite.endpoint, `${HELPERS}\nB = ${JSON.stringify(bucket)}\n${body}`);
  };
}

async function newBucket(label: string, keys: string[] = []): Promise<string> {
  const bucket = bucketName(label);
  await py(bucket)`s3.create_bucket(Bucket=B); out(True)`;
  await putObjects(suite.s3, bucket, keys);
  return bucket;
}

describe("boto3 1.26 objects", { timeout: 120_000 }, () => {
  it("put_object with ContentMD5: stored, ETag is the md5; a wrong MD5 is BadDigest 400", async () => {
    const bucket = await newBucket("md5");
    const result = await py(bucket)`
      body = b'content-md5 checked'
      r = s3.put_object(Bucket=B, Key='k', Body=body, ContentMD5=b64(hashlib.md5(body).digest()))
      bad = error(s3.put_object, Bucket=B, Key='bad', Body=body, ContentMD5=b64(hashlib.md5(b'other').digest()))
      out({'etag': r['ETag'], 'md5': hashlib.md5(body).hexdigest(), 'bad': bad, 'badStored': error(s3.head_object, Bucket=B, Key='bad')})
    `;
    expect(result.etag).toBe(`"${result.md5}"`);
    expect(suite.emulator.engine.metadata.getVersion(bucket, "k")?.etag).toBe(result.md5);
    expect(result).toMatchObject({ bad: clientError("BadDigest", 400), badStored: clientError("404", 404) });
  });

  it("put_object with ChecksumAlgorithm: boto3 1.26 over http sends x-amz-checksum-* as a header, the engine echoes it", async () => {
    const bucket = await newBucket("ck");
    const result = await py(bucket)`
      sent = []
      s3.meta.events.register('before-send.s3.PutObject', lambda request, **kw: sent.append(sorted(k.lower() for k in request.headers.keys())))
      body = b'checksummed body'
      sha = s3.put_object(Bucket=B, Key='sha', Body=body, ChecksumAlgorithm='SHA256')
      crc = s3.put_object(Bucket=B, Key='crc', Body=body, ChecksumAlgorithm='CRC32')
      head = s3.head_object(Bucket=B, Key='sha', ChecksumMode='ENABLED')
      got = s3.get_object(Bucket=B, Key='sha', ChecksumMode='ENABLED')
      bad = error(s3.put_object, Bucket=B, Key='bad', Body=body, ChecksumSHA256=b64(hashlib.sha256(b'x').digest()))
      out({'sent': sent[0], 'sha': sha.get('ChecksumSHA256'), 'crc': crc.get('ChecksumCRC32'),
           'expectSha': b64(hashlib.sha256(body).digest()), 'expectCrc': b64(zlib.crc32(body).to_bytes(4, 'big')),
           'head': head.get('ChecksumSHA256'), 'get': got.get('ChecksumSHA256'), 'bytes': got['Body'].read().decode(), 'bad': bad})
    `;
    // No Content-MD5 and no aws-chunked trailer: the checksum travels in a plain header.
    expect(result.sent).toEqual(expect.arrayContaining(["x-amz-checksum-sha256", "x-amz-sdk-checksum-algorithm"]));
    expect(result.sent).not.toContain("content-md5");
    expect(result.sent).not.toContain("x-amz-trailer");
    const { expectSha, expectCrc } = result;
    // get: botocore validated the body against the returned checksum.
    expect(result).toMatchObject({ sha: expectSha, crc: expectCrc, head: expectSha });
    expect(result).toMatchObject({ get: expectSha, bytes: "checksummed body" });
    expect(suite.emulator.engine.metadata.getVersion(bucket, "crc")?.checksum?.value).toBe(result.expectCrc);
    expect(result.bad).toEqual(clientError("BadDigest", 400));
  });

  it("get_object returns bytes, metadata and content headers; Range gives 206 with Content-Range", async () => {
    const bucket = await newBucket("get");
    const result = await py(bucket)`
      s3.put_object(Bucket=B, Key='doc.txt', Body=b'0123456789', Metadata={'Color': 'blue', 'n': '1'}, ContentType='text/plain', CacheControl='max-age=60')
      full = s3.get_object(Bucket=B, Key='doc.txt')
      part = s3.get_object(Bucket=B, Key='doc.txt', Range='bytes=2-5')
      over = s3.get_object(Bucket=B, Key='doc.txt', ResponseContentType='application/json')
      out({'body': full['Body'].read().decode(), 'meta': full['Metadata'], 'type': full['ContentType'], 'cache': full['CacheControl'],
           'length': full['ContentLength'], 'part': part['Body'].read().decode(), 'partStatus': part['ResponseMetadata']['HTTPStatusCode'],
           'range': part['ContentRange'], 'override': over['ContentType'],
           'badRange': error(s3.get_object, Bucket=B, Key='doc.txt', Range='bytes=20-30'),
           'ifMatch': error(s3.get_object, Bucket=B, Key='doc.txt', IfMatch='"nope"'),
           'ifNoneMatch': error(s3.get_object, Bucket=B, Key='doc.txt', IfNoneMatch=full['ETag'])})
    `;
    expect(result).toMatchObject({ body: "0123456789", meta: { color: "blue", n: "1" }, length: 10 });
    expect(result.type).toBe("text/plain");
    expect(result).toMatchObject({ cache: "max-age=60", override: "application/json" });
    expect(result).toMatchObject({ part: "2345", partStatus: 206, range: "bytes 2-5/10" });
    expect(result.badRange).toEqual(clientError("InvalidRange", 416));
    expect(result.ifMatch).toEqual(clientError("PreconditionFailed", 412));
    expect(result.ifNoneMatch).toEqual(clientError("304", 304));
  });

  it("upload_fileobj of 12 MB in 5 MB parts, download_fileobj, and a managed copy (UploadPartCopy)", async () => {
    const bucket = await newBucket("mpu");
    const [source, target] = [path.join(tmp, "twelve.bin"), path.join(tmp, "twelve.down")];
    const data = randomBytes(12 * MiB);
    fs.writeFileSync(source, data);
    const result = await py(bucket)`
      from boto3.s3.transfer import TransferConfig
      config = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024)
      with open(${JSON.stringify(source)}, 'rb') as f:
          s3.upload_fileobj(f, B, 'twelve.bin', Config=config)
      with open(${JSON.stringify(source)}, 'rb') as f:
          s3.upload_fileobj(f, B, 'summed.bin', ExtraArgs={'ChecksumAlgorithm': 'SHA256'}, Config=config)
      with open(${JSON.stringify(target)}, 'wb') as f:
          s3.download_fileobj(B, 'twelve.bin', f, Config=config)
      s3.copy({'Bucket': B, 'Key': 'twelve.bin'}, B, 'copied.bin', Config=config)
      head, copied = s3.head_object(Bucket=B, Key='twelve.bin', PartNumber=2), s3.head_object(Bucket=B, Key='copied.bin')
      summed = s3.head_object(Bucket=B, Key='summed.bin', ChecksumMode='ENABLED')
      out({'etag': head['ETag'], 'partLength': head['ContentLength'], 'parts': head['ResponseMetadata']['HTTPHeaders'].get('x-amz-mp-parts-count'),
           'length': s3.head_object(Bucket=B, Key='twelve.bin')['ContentLength'],
           'copyEtag': copied['ETag'], 'copyLength': copied['ContentLength'], 'composite': summed.get('ChecksumSHA256'),
           'summedBody': hashlib.sha256(s3.get_object(Bucket=B, Key='summed.bin', ChecksumMode='ENABLED')['Body'].read()).hexdigest()})
    `;
    const parts = [0, 5, 10].map((mib) => data.subarray(mib * MiB, (mib + 5) * MiB));
    const etag = multipartEtag(parts);
    expect(result).toMatchObject({
      etag,
      length: data.length,
      partLength: 5 * MiB,
      parts: "3",
      copyEtag: etag,
      copyLength: data.length,
    });
    expect(sha256Hex(fs.readFileSync(target))).toBe(sha256Hex(data));
    // A composite checksum: the SHA-256 of the part SHA-256s, then "-<parts>"; botocore skips validating it.
    const partSums = parts.map((part) => sha256Bytes(part));
    expect(result.composite).toBe(`${sha256Base64(Buffer.concat(partSums))}-3`);
    expect(result.summedBody).toBe(sha256Hex(data));
  });

  it("copy_object copies bytes and metadata; REPLACE replaces metadata; a missing source is NoSuchKey", async () => {
    const bucket = await newBucket("copy");
    const result = await py(bucket)`
      s3.put_object(Bucket=B, Key='src', Body=b'copy me', Metadata={'a': '1'})
      c = s3.copy_object(Bucket=B, Key='dst', CopySource={'Bucket': B, 'Key': 'src'})
      r = s3.copy_object(Bucket=B, Key='dst2', CopySource=B + '/src', MetadataDirective='REPLACE', Metadata={'b': '2'}, ContentType='text/x-new')
      d, d2 = s3.get_object(Bucket=B, Key='dst'), s3.head_object(Bucket=B, Key='dst2')
      out({'etag': c['CopyObjectResult']['ETag'], 'etag2': r['CopyObjectResult']['ETag'], 'body': d['Body'].read().decode(),
           'meta': d['Metadata'], 'meta2': d2['Metadata'], 'type2': d2['ContentType'],
           'missing': error(s3.copy_object, Bucket=B, Key='x', CopySource={'Bucket': B, 'Key': 'absent'})})
    `;
    const etag = `"${md5Hex("copy me")}"`;
    expect(result).toMatchObject({ etag, etag2: etag, body: "copy me", meta: { a: "1" }, meta2: { b: "2" } });
    expect(result).toMatchObject({ type2: "text/x-new", missing: clientError("NoSuchKey", 404) });
  });

  it("delete_objects reports Deleted, or nothing with Quiet, and removes the keys", async () => {
    const bucket = await newBucket("dels", ["a", "b", "c", "d"]);
    const result = await py(bucket)`
      loud = s3.delete_objects(Bucket=B, Delete={'Objects': [{'Key': 'a'}, {'Key': 'b'}]})
      quiet = s3.delete_objects(Bucket=B, Delete={'Objects': [{'Key': 'c'}, {'Key': 'missing'}], 'Quiet': True})
      left = s3.list_objects_v2(Bucket=B)
      out({'loud': sorted(d['Key'] for d in loud.get('Deleted', [])), 'quiet': [k for k in quiet if k != 'ResponseMetadata'],
           'left': [c['Key'] for c in left.get('Contents', [])]})
    `;
    expect(result).toEqual({ loud: ["a", "b"], quiet: [], left: ["d"] });
  });
});

describe("boto3 1.26 listings, versioning, tagging and errors", { timeout: 120_000 }, () => {
  it("the list_objects_v2 paginator walks 1,200 keys in pages of 1000 and of PageSize", async () => {
    const keys = Array.from({ length: 1200 }, (_, i) => `key-${String(i).padStart(4, "0")}`);
    const bucket = await newBucket("page", keys);
    const result = await py(bucket)`
      pages = list(s3.get_paginator('list_objects_v2').paginate(Bucket=B))
      small = list(s3.get_paginator('list_objects_v2').paginate(Bucket=B, Prefix='key-1', PaginationConfig={'PageSize': 70}))
      out({'counts': [p['KeyCount'] for p in pages], 'truncated': [p['IsTruncated'] for p in pages],
           'keys': [c['Key'] for p in pages for c in p['Contents']], 'small': [len(p.get('Contents', [])) for p in small]})
    `;
    expect(result.counts).toEqual([1000, 200]);
    expect(result.truncated).toEqual([true, false]);
    expect(result.keys).toEqual(keys);
    expect(result.small).toEqual([70, 70, 60]); // key-1000 .. key-1199
  });

  it("versioning: versions and delete markers in list_object_versions, 404 with x-amz-delete-marker, 405 for the marker", async () => {
    const bucket = await newBucket("ver");
    const result = await py(bucket)`
      s3.put_bucket_versioning(Bucket=B, VersioningConfiguration={'Status': 'Enabled'})
      v1 = s3.put_object(Bucket=B, Key='k', Body=b'one')['VersionId']
      v2 = s3.put_object(Bucket=B, Key='k', Body=b'two')['VersionId']
      dm = s3.delete_object(Bucket=B, Key='k')
      listing = s3.list_object_versions(Bucket=B)
      out({'status': s3.get_bucket_versioning(Bucket=B)['Status'], 'v1': v1, 'v2': v2, 'dm': dm['VersionId'], 'dmFlag': dm['DeleteMarker'],
           'versions': ['%s %s %d' % (v['VersionId'], v['IsLatest'], v['Size']) for v in listing['Versions']],
           'markers': ['%s %s' % (m['VersionId'], m['IsLatest']) for m in listing['DeleteMarkers']],
           'get': error(s3.get_object, Bucket=B, Key='k'), 'head': error(s3.head_object, Bucket=B, Key='k'),
           'marker': error(s3.get_object, Bucket=B, Key='k', VersionId=dm['VersionId']),
           'old': s3.get_object(Bucket=B, Key='k', VersionId=v1)['Body'].read().decode()})
    `;
    expect(result.status).toBe("Enabled");
    expect(result.dmFlag).toBe(true);
    expect(result.versions).toEqual([`${result.v2} False 3`, `${result.v1} False 3`]);
    expect(result.markers).toEqual([`${result.dm} True`]);
    expect(result.get).toEqual(clientError("NoSuchKey", 404));
    expect(result.get.headers["x-amz-delete-marker"]).toBe("true");
    expect(result).toMatchObject({ head: clientError("404", 404), marker: clientError("MethodNotAllowed", 405) });
    expect(result.old).toBe("one");
  });

  it("object and bucket tagging: put, get, delete; missing tag set is NoSuchTagSet 404", async () => {
    const bucket = await newBucket("tag");
    const result = await py(bucket)`
      s3.put_object(Bucket=B, Key='o', Body=b'o', Tagging='x=1&y=two')
      first = s3.get_object_tagging(Bucket=B, Key='o')['TagSet']
      s3.put_object_tagging(Bucket=B, Key='o', Tagging={'TagSet': [{'Key': 'z', 'Value': '3'}]})
      second = s3.get_object_tagging(Bucket=B, Key='o')['TagSet']
      s3.delete_object_tagging(Bucket=B, Key='o')
      third = s3.get_object_tagging(Bucket=B, Key='o')['TagSet']
      none = error(s3.get_bucket_tagging, Bucket=B)
      s3.put_bucket_tagging(Bucket=B, Tagging={'TagSet': [{'Key': 'env', 'Value': 'dev'}]})
      bucket = s3.get_bucket_tagging(Bucket=B)['TagSet']
      s3.delete_bucket_tagging(Bucket=B)
      pairs = lambda tags: [t['Key'] + '=' + t['Value'] for t in tags]
      out({'first': pairs(first), 'second': pairs(second), 'third': pairs(third), 'none': none, 'bucket': pairs(bucket),
           'gone': error(s3.get_bucket_tagging, Bucket=B)})
    `;
    expect(result).toMatchObject({ first: ["x=1", "y=two"], second: ["z=3"], third: [], bucket: ["env=dev"] });
    expect(result).toMatchObject({ none: clientError("NoSuchTagSet", 404), gone: clientError("NoSuchTagSet", 404) });
  });

  it("error codes and statuses as ClientError shows them", async () => {
    const bucket = await newBucket("err", ["k"]);
    const result = await py(bucket)`
      out({'noKey': error(s3.get_object, Bucket=B, Key='missing'), 'head': error(s3.head_object, Bucket=B, Key='missing'),
           'noBucket': error(s3.list_objects_v2, Bucket=B + '-none'), 'headBucket': error(s3.head_bucket, Bucket=B + '-none'),
           'badName': error(s3.create_bucket, Bucket='Bad_Name'), 'notEmpty': error(s3.delete_bucket, Bucket=B),
           'badVersioning': error(s3.put_bucket_versioning, Bucket=B, VersioningConfiguration={'Status': 'On'}),
           'noUpload': error(s3.list_parts, Bucket=B, Key='k', UploadId='bogus')})
    `;
    expect(result).toMatchObject({
      noKey: clientError("NoSuchKey", 404),
      head: clientError("404", 404),
      noBucket: clientError("NoSuchBucket", 404),
      headBucket: clientError("404", 404),
      badName: clientError("InvalidBucketName", 400),
      notEmpty: clientError("BucketNotEmpty", 409),
      badVersioning: clientError("MalformedXML", 400),
      noUpload: clientError("NoSuchUpload", 404),
    });
    expect(result.noKey.error.Key).toBe("missing");
    expect(result.badName.error.BucketName).toBe("Bad_Name");
  });

  it("complete_multipart_upload with a part ETag that does not match is InvalidPart; the right one completes", async () => {
    const bucket = await newBucket("part");
    const result = await py(bucket)`
      up = s3.create_multipart_upload(Bucket=B, Key='m')['UploadId']
      etag = s3.upload_part(Bucket=B, Key='m', UploadId=up, PartNumber=1, Body=b'only part')['ETag']
      wrong = error(s3.complete_multipart_upload, Bucket=B, Key='m', UploadId=up,
                    MultipartUpload={'Parts': [{'PartNumber': 1, 'ETag': '"' + hashlib.md5(b'other').hexdigest() + '"'}]})
      missing = error(s3.complete_multipart_upload, Bucket=B, Key='m', UploadId=up, MultipartUpload={'Parts': [{'PartNumber': 2, 'ETag': etag}]})
      done = s3.complete_multipart_upload(Bucket=B, Key='m', UploadId=up, MultipartUpload={'Parts': [{'PartNumber': 1, 'ETag': etag}]})
      out({'wrong': wrong, 'missing': missing, 'etag': done['ETag'], 'partEtag': etag,
           'body': s3.get_object(Bucket=B, Key='m')['Body'].read().decode(), 'after': error(s3.list_parts, Bucket=B, Key='m', UploadId=up)})
    `;
    expect(result).toMatchObject({ wrong: clientError("InvalidPart", 400), missing: clientError("InvalidPart", 400) });
    const partMd5 = md5Bytes("only part");
    expect(result.partEtag).toBe(`"${partMd5.toString("hex")}"`);
    expect(result.etag).toBe(`"${md5Hex(partMd5)}-1"`);
    expect(result).toMatchObject({ body: "only part", after: clientError("NoSuchUpload", 404) });
  });
});
