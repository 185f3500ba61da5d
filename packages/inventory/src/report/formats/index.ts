import { CSV_FORMAT, TSV_FORMAT } from "./delimited.js";
import { JSON_FORMAT } from "./json-lines.js";
import { ORC_FORMAT } from "./orc.js";
import { PARQUET_FORMAT } from "./parquet.js";
import type { ReportFormat } from "./report-format.js";

/** Every report format, by the configuration's Format value; a profile decides which it accepts. */
export const REPORT_FORMATS: Record<string, ReportFormat> = {
  CSV: CSV_FORMAT,
  TSV: TSV_FORMAT,
  JSON: JSON_FORMAT,
  ORC: ORC_FORMAT,
  Parquet: PARQUET_FORMAT,
};

export type { ReportFormat } from "./report-format.js";
