"""Independent reader for the writer's tests: Apache ORC C++ as bundled in pyarrow.

Usage: python3 read-with-pyarrow.py FILE.orc
Prints one JSON object with the file's metadata, then one JSON array per row. Every value is printed as a string
(or null) so 64-bit integers survive JSON: booleans as "true"/"false", timestamps as nanoseconds since the epoch.
"""
import json
import sys

import pyarrow as pa
import pyarrow.orc as orc

f = orc.ORCFile(sys.argv[1])
print(json.dumps({
    "schema": str(f.schema),
    "rows": f.nrows,
    "stripes": f.nstripes,
    "compression": f.compression,
    "file_version": str(f.file_version),
    "writer_version": str(f.writer_version),
    "row_index_stride": f.row_index_stride,
}))
for s in range(f.nstripes):
    batch = f.read_stripe(s)
    columns = []
    for field, column in zip(batch.schema, batch.columns):
        if pa.types.is_timestamp(field.type):
            column = column.cast(pa.int64())
        values = column.to_pylist()
        if pa.types.is_boolean(field.type):
            values = [None if v is None else ("true" if v else "false") for v in values]
        elif not pa.types.is_string(field.type):
            values = [None if v is None else str(v) for v in values]
        columns.append(values)
    for row in zip(*columns):
        print(json.dumps(list(row), ensure_ascii=False))
