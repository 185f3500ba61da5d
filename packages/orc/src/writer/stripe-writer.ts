import type { ColumnEncoder, ColumnStripe } from "../columns/column-encoder.js";
import { CountStatistics, type Statistics } from "../columns/statistics.js";
import { type Codec, frameSection } from "../encoding/out-stream.js";
import { encodeRowIndex, encodeStripeFooter } from "../proto/encode-messages.js";
import type { StreamMessage, StripeInformation } from "../proto/orc-messages.js";
import { StreamKind } from "../proto/orc-messages.js";

export interface EncodedStripe {
  /** The stripe's bytes in file order: ROW_INDEX streams, data streams, StripeFooter. */
  parts: Buffer[];
  info: StripeInformation;
  /** One per type id, root first. */
  statistics: Statistics[];
}

/** Row-group sizes of a stripe: `stride` rows each, the last one shorter; one group when there is no index. */
export function rowGroupSizes(rows: number, stride: number): number[] {
  if (stride === 0) return [rows];
  const sizes: number[] = [];
  for (let left = rows; left > 0; left -= stride) sizes.push(Math.min(stride, left));
  return sizes;
}

/**
 * Ends the stripe every column has been encoding (spec/orc.md §3.10 step 2): ROW_INDEX streams first (they make
 * up index_length), then each column's streams, then the StripeFooter listing them in that physical order, every
 * stream kept even at length 0 (§3.1).
 */
export function encodeStripe(
  columns: readonly ColumnEncoder[],
  rows: number,
  stride: number,
  codec: Codec,
  offset: number,
): EncodedStripe {
  const groups = rowGroupSizes(rows, stride);
  const encoded: ColumnStripe[] = columns.map((column) => column.finishStripe());
  const root = new CountStatistics();
  root.count = rows;

  const streams: StreamMessage[] = [];
  const parts: Buffer[] = [];
  let indexLength = 0;
  if (stride > 0) {
    // spec/orc.md §3.7: the root's entries have no positions, only statistics.
    const rootIndex = groups.map((size) => ({ positions: [], statistics: { numberOfValues: size, hasNull: false } }));
    const indexes = [encodeRowIndex(rootIndex), ...encoded.map((c) => encodeRowIndex(c.rowIndex))];
    indexes.forEach((raw, column) => {
      const framed = frameSection(raw, codec);
      streams.push({ kind: StreamKind.ROW_INDEX, column, length: framed.length });
      parts.push(framed);
      indexLength += framed.length;
    });
  }
  let dataLength = 0;
  for (const column of encoded) {
    for (const stream of column.streams) {
      streams.push({ kind: stream.kind, column: stream.column, length: stream.length });
      parts.push(...stream.chunks);
      dataLength += stream.length;
    }
  }
  const footer = frameSection(
    encodeStripeFooter({
      streams,
      columns: [{ kind: 0 /* DIRECT */ }, ...encoded.map((c) => c.encoding)],
      // spec/orc.md §3.4: always set, or readers fall back to their local zone.
      writerTimezone: "UTC",
    }),
    codec,
  );
  parts.push(footer);
  return {
    parts,
    info: { offset, indexLength, dataLength, footerLength: footer.length, numberOfRows: rows },
    statistics: [root, ...encoded.map((c) => c.statistics)],
  };
}
