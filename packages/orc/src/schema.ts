import { corrupt, OrcError } from "./errors.js";
import type { TypeMessage } from "./proto/orc-messages.js";

/** Type.Kind by Hive name: index = wire id (orc_proto.proto), so `TYPE_KINDS[kind]` decodes and indexOf encodes. */
export const TYPE_KINDS = [
  "boolean",
  "tinyint",
  "smallint",
  "int",
  "bigint",
  "float",
  "double",
  "string",
  "binary",
  "timestamp",
  "array",
  "map",
  "struct",
  "uniontype",
  "decimal",
  "date",
  "varchar",
  "char",
  "timestamp with local time zone",
] as const;

export type OrcTypeKind = (typeof TYPE_KINDS)[number];

/** One node of the type tree; `id` is its pre-order position (spec/orc.md §3.2 "Type tree"). */
export interface OrcType {
  id: number;
  kind: OrcTypeKind;
  children: OrcType[];
  /** struct only: one name per child. */
  fieldNames: string[];
  maximumLength?: number;
  precision?: number;
  scale?: number;
}

/** A top-level column as callers describe it: `{ name: "size", type: "bigint" }`. */
export interface OrcField {
  name: string;
  type: string;
}

/** Parses a Hive type string such as AWS's `fileSchema`: `struct<bucket:string,size:bigint,...>`. */
export function parseOrcType(text: string): OrcType {
  let pos = 0;
  const fail = (why: string): never => {
    throw new OrcError("INVALID_SCHEMA", `Invalid ORC type "${text}" at ${pos}: ${why}`);
  };
  const skipSpace = () => {
    while (text[pos] === " ") pos++;
  };
  const expect = (ch: string) => {
    skipSpace();
    if (text[pos] !== ch) fail(`expected "${ch}"`);
    pos++;
  };
  const word = (): string => {
    skipSpace();
    const match = /^[A-Za-z0-9_$.-]+|^`[^`]+`/.exec(text.slice(pos));
    if (!match) return fail("expected a name");
    pos += match[0].length;
    return match[0].replace(/^`|`$/g, "");
  };
  const number = (): number => {
    const n = Number(word());
    if (!Number.isInteger(n) || n < 0) fail("expected a number");
    return n;
  };
  const parse = (): OrcType => {
    const name = word().toLowerCase();
    const node: OrcType = { id: 0, kind: "struct", children: [], fieldNames: [] };
    if (name === "struct") {
      expect("<");
      skipSpace();
      while (text[pos] !== ">") {
        if (node.children.length > 0) expect(",");
        node.fieldNames.push(word());
        expect(":");
        node.children.push(parse());
        skipSpace();
      }
      pos++;
    } else if (name === "array" || name === "map" || name === "uniontype") {
      node.kind = name;
      expect("<");
      node.children.push(parse());
      skipSpace();
      while (text[pos] === ",") {
        pos++;
        node.children.push(parse());
        skipSpace();
      }
      expect(">");
    } else if ((TYPE_KINDS as readonly string[]).includes(name)) {
      node.kind = name as OrcTypeKind;
      skipSpace();
      if (text[pos] === "(" && (name === "decimal" || name === "varchar" || name === "char")) {
        pos++;
        if (name === "decimal") {
          node.precision = number();
          expect(",");
          node.scale = number();
        } else node.maximumLength = number();
        expect(")");
      }
    } else fail(`unknown type "${name}"`);
    return node;
  };
  const root = parse();
  skipSpace();
  if (pos !== text.length) fail("trailing characters");
  assignIds(root, 0);
  return root;
}

function assignIds(node: OrcType, next: number): number {
  node.id = next++;
  for (const child of node.children) next = assignIds(child, next);
  return next;
}

/** A struct root from a field list. */
export function structOf(fields: readonly OrcField[]): OrcType {
  return parseOrcType(`struct<${fields.map((f) => `${f.name}:${f.type}`).join(",")}>`);
}

/** The Hive type string of a tree, as orc-metadata prints it. */
export function formatOrcType(type: OrcType): string {
  switch (type.kind) {
    case "struct":
      return `struct<${type.children.map((c, i) => `${type.fieldNames[i]}:${formatOrcType(c)}`).join(",")}>`;
    case "array":
    case "map":
    case "uniontype":
      return `${type.kind}<${type.children.map(formatOrcType).join(",")}>`;
    case "decimal":
      return `decimal(${type.precision ?? 38},${type.scale ?? 10})`;
    case "varchar":
    case "char":
      return `${type.kind}(${type.maximumLength ?? 0})`;
    default:
      return type.kind;
  }
}

/** Pre-order flattening for Footer.types. */
export function flattenTypes(root: OrcType): OrcType[] {
  const out: OrcType[] = [];
  const visit = (t: OrcType) => {
    out.push(t);
    t.children.forEach(visit);
  };
  visit(root);
  return out;
}

export function toTypeMessages(root: OrcType): TypeMessage[] {
  return flattenTypes(root).map((t) => ({
    kind: TYPE_KINDS.indexOf(t.kind),
    subtypes: t.children.map((c) => c.id),
    fieldNames: t.fieldNames,
    maximumLength: t.maximumLength,
    precision: t.precision,
    scale: t.scale,
  }));
}

/**
 * Rebuilds the tree from Footer.types. Subtype ids must follow the pre-order numbering exactly, which rules out
 * cycles and shared subtrees (a lying file could otherwise make the tree exponentially large).
 */
export function fromTypeMessages(types: readonly TypeMessage[]): OrcType {
  if (types.length === 0) throw corrupt("Footer has no types");
  let next = 0;
  const build = (id: number, depth: number): OrcType => {
    const message = types[id];
    if (!message) throw corrupt(`Type ${id} does not exist`);
    if (depth > 500) throw corrupt("Type tree nested deeper than 500 levels");
    const kind = TYPE_KINDS[message.kind];
    if (kind === undefined) throw new OrcError("UNSUPPORTED", `Unknown type kind ${message.kind} for column ${id}`);
    next = id + 1;
    const children: OrcType[] = [];
    for (const sub of message.subtypes) {
      if (sub !== next) throw corrupt(`Type ${id} lists subtype ${sub} where pre-order numbering expects ${next}`);
      children.push(build(sub, depth + 1));
    }
    if (kind === "struct" && message.fieldNames.length !== children.length) {
      throw corrupt(`Struct type ${id} has ${children.length} subtypes but ${message.fieldNames.length} field names`);
    }
    return {
      id,
      kind,
      children,
      fieldNames: message.fieldNames,
      maximumLength: message.maximumLength,
      precision: message.precision,
      scale: message.scale,
    };
  };
  const root = build(0, 0);
  if (next !== types.length) throw corrupt(`Footer lists ${types.length} types but the tree from type 0 has ${next}`);
  return root;
}
