import { corrupt, OrcError } from "../errors.js";
import { decodeFooter, decodeMetadata, decodePostScript } from "../proto/decode-messages.js";
import type { Footer, Metadata, PostScript } from "../proto/orc-messages.js";
import { fromTypeMessages, type OrcType } from "../schema.js";
import { decompress, type ReadCodec, readCodec } from "./decompress.js";

export interface FileTail {
  postScript: PostScript;
  footer: Footer;
  metadata: Metadata | undefined;
  codec: ReadCodec;
  schema: OrcType;
  /** Where Metadata starts: every stripe must end at or before it. */
  contentEnd: number;
}

/**
 * Reads the file tail backwards (spec/orc.md §3.1): last byte = PostScript length, PostScript (never compressed),
 * Footer and Metadata before it. Every length is checked against the file before it is used, so a truncated file
 * or a lying length gives OrcError("NOT_ORC" | "CORRUPT_FILE"), never an out-of-range read.
 */
export function readFileTail(bytes: Uint8Array): FileTail {
  const size = bytes.length;
  if (size < 4) throw new OrcError("NOT_ORC", `Not an ORC file: ${size} bytes is too short`);
  const psLength = bytes[size - 1] as number;
  if (psLength === 0 || psLength + 1 > size)
    throw new OrcError("NOT_ORC", `Not an ORC file: PostScript length ${psLength} does not fit`);
  let postScript: PostScript;
  try {
    postScript = decodePostScript(bytes.subarray(size - 1 - psLength, size - 1));
  } catch (error) {
    throw new OrcError("NOT_ORC", `Not an ORC file: the PostScript does not decode (${(error as Error).message})`, {
      cause: error,
    });
  }
  const headerMagic = Buffer.from(bytes.subarray(0, 3)).toString("latin1");
  if (postScript.magic !== "ORC" && !(postScript.magic === undefined && headerMagic === "ORC")) {
    throw new OrcError("NOT_ORC", 'Not an ORC file: no "ORC" magic in the PostScript');
  }
  const [major, minor] = postScript.version;
  if (major !== undefined && (major !== 0 || (minor ?? 0) > 12)) {
    throw new OrcError("UNSUPPORTED", `ORC format version ${postScript.version.join(".")} is not supported`);
  }
  const codec = readCodec(postScript.compression, postScript.compressionBlockSize);
  const footerEnd = size - 1 - psLength;
  const footerStart = footerEnd - postScript.footerLength;
  const metadataStart = footerStart - postScript.metadataLength;
  if (postScript.footerLength === 0 || footerStart < 0 || metadataStart < 0) {
    throw corrupt(
      `PostScript lengths (footer ${postScript.footerLength}, metadata ${postScript.metadataLength}) exceed the ${size}-byte file`,
    );
  }
  const footer = decodeFooter(decompress(bytes.subarray(footerStart, footerEnd), codec, "Footer"));
  const metadata =
    postScript.metadataLength > 0
      ? decodeMetadata(decompress(bytes.subarray(metadataStart, footerStart), codec, "Metadata"))
      : undefined;
  const schema = fromTypeMessages(footer.types);
  let rows = 0;
  footer.stripes.forEach((stripe, i) => {
    const end = stripe.offset + stripe.indexLength + stripe.dataLength + stripe.footerLength;
    if (stripe.offset < 3 || end > metadataStart)
      throw corrupt(`Stripe ${i} (offset ${stripe.offset}, ends ${end}) lies outside the content (${metadataStart})`);
    // Row counts size the decoder's arrays: bound them before anything is allocated.
    if (stripe.numberOfRows > 2 ** 31 - 1) throw corrupt(`Stripe ${i} claims ${stripe.numberOfRows} rows`);
    rows += stripe.numberOfRows;
  });
  if (footer.numberOfRows !== undefined && rows !== footer.numberOfRows) {
    throw corrupt(`Stripes hold ${rows} rows but the Footer says ${footer.numberOfRows}`);
  }
  return { postScript, footer, metadata, codec, schema, contentEnd: metadataStart };
}
