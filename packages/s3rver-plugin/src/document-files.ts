import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { type BucketDocuments, S3Error } from "@inv-emulator/s3";

/** Byte order of the UTF-8 encodings, the order SQLite (and so the main engine) sorts ids and keys in. */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === "ENOENT";

/**
 * BucketDocuments kept as one small JSON file per bucket (an object of id -> body), inside the bucket's own
 * directory, so the documents go when s3rver deletes or resets the bucket. s3rver's listings only see files
 * ending in `._S3rver_object`, so these never show up as objects. Writes replace the file by a rename.
 */
export class DocumentFiles implements BucketDocuments {
  constructor(private readonly fileOf: (bucket: string) => string) {}

  private read(bucket: string): Map<string, string> {
    try {
      return new Map(Object.entries(JSON.parse(readFileSync(this.fileOf(bucket), "utf8")) as Record<string, string>));
    } catch (error) {
      if (isMissing(error)) return new Map();
      throw error;
    }
  }

  private write(bucket: string, documents: Map<string, string>): void {
    const file = this.fileOf(bucket);
    try {
      if (documents.size === 0) {
        rmSync(file, { force: true });
        return;
      }
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify(Object.fromEntries(documents)));
      renameSync(temporary, file);
    } catch (error) {
      // The bucket's directory is gone: the bucket was deleted meanwhile.
      if (isMissing(error)) throw new S3Error("NoSuchBucket", { fields: { BucketName: bucket } });
      throw error;
    }
  }

  put(bucket: string, id: string, body: string): void {
    const documents = this.read(bucket);
    documents.set(id, body);
    this.write(bucket, documents);
  }

  get(bucket: string, id: string): string | undefined {
    return this.read(bucket).get(id);
  }

  list(bucket: string, afterId: string, limit: number): { id: string; body: string }[] {
    return [...this.read(bucket)]
      .filter(([id]) => compareUtf8(id, afterId) > 0)
      .sort(([a], [b]) => compareUtf8(a, b))
      .slice(0, limit)
      .map(([id, body]) => ({ id, body }));
  }

  count(bucket: string): number {
    return this.read(bucket).size;
  }

  delete(bucket: string, id: string): boolean {
    const documents = this.read(bucket);
    if (!documents.delete(id)) return false;
    this.write(bucket, documents);
    return true;
  }
}
