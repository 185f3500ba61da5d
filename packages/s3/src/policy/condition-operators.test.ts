// The IAM condition operator table: each operator against matching and non-matching values, the IfExists and
// ForAnyValue/ForAllValues modifiers, Null, keys missing from the request, and IPv4/IPv6 CIDR blocks.
import { describe, expect, it } from "vitest";
import { CONDITION_OPERATORS, evaluateCondition, parseOperator } from "./condition-operators.js";

type Case = [operator: string, request: string[] | undefined, policy: string[], expected: boolean];
const check = ([operator, request, policy, expected]: Case) =>
  expect(evaluateCondition(operator, request, policy)).toBe(expected);

describe("parseOperator", () => {
  it("splits set modifiers and IfExists off the operator", () => {
    expect(parseOperator("ForAnyValue:StringLikeIfExists")).toEqual({
      operator: "StringLike",
      setModifier: "ForAnyValue",
      ifExists: true,
    });
    expect(parseOperator("ForAllValues:StringEquals")).toEqual({
      operator: "StringEquals",
      setModifier: "ForAllValues",
      ifExists: false,
    });
    expect(parseOperator("NumericLessThan")).toEqual({
      operator: "NumericLessThan",
      setModifier: undefined,
      ifExists: false,
    });
    expect(parseOperator("Null")).toEqual({ operator: "Null", setModifier: undefined, ifExists: false });
  });

  it.each(["StringSortOf", "stringequals", "ForSomeValues:StringEquals", "StringEquals:ForAnyValue", "", "IfExists"])(
    "%j is not an operator",
    (name) => {
      expect(parseOperator(name)).toBeUndefined();
      expect(evaluateCondition(name, ["a"], ["a"])).toBe(false);
    },
  );

  it("knows every IAM operator besides Null", () => {
    const families = {
      String: ["Equals", "NotEquals", "EqualsIgnoreCase", "NotEqualsIgnoreCase", "Like", "NotLike"],
      Arn: ["Equals", "Like", "NotEquals", "NotLike"],
    };
    const ordered = ["Equals", "NotEquals", "LessThan", "LessThanEquals", "GreaterThan", "GreaterThanEquals"];
    const names = [
      ...Object.entries({ ...families, Numeric: ordered, Date: ordered }).flatMap(([f, ops]) =>
        ops.map((op) => f + op),
      ),
      "Bool",
      "IpAddress",
      "NotIpAddress",
    ];
    expect(Object.keys(CONDITION_OPERATORS).sort()).toEqual(names.sort());
  });
});

describe("each operator on a present single value", () => {
  const cases: Case[] = [
    ["StringEquals", ["abc"], ["abc"], true],
    ["StringEquals", ["abc"], ["ABC"], false],
    ["StringEquals", ["b"], ["a", "b"], true], // policy values are ORed
    ["StringNotEquals", ["abc"], ["abc"], false],
    ["StringNotEquals", ["b"], ["a", "b"], false], // ... and a negated operator holds only if none matches
    ["StringNotEquals", ["c"], ["a", "b"], true],
    ["StringEqualsIgnoreCase", ["AbC"], ["aBc"], true],
    ["StringNotEqualsIgnoreCase", ["AbC"], ["aBc"], false],
    ["StringLike", ["home/bob/x.txt"], ["home/bob/*"], true],
    ["StringLike", ["home/alice/x"], ["home/bob/*"], false],
    ["StringLike", ["a1c"], ["a?c"], true],
    ["StringLike", ["abc"], ["a.c"], false], // `.` is literal, not a regex
    ["StringLike", ["a+b"], ["a+b"], true],
    ["StringLike", ["ABC"], ["a*"], false], // case-sensitive
    ["StringNotLike", ["home/alice/x"], ["home/bob/*"], true],
    ["StringNotLike", ["home/bob/x"], ["home/bob/*"], false],
    ["ArnEquals", ["arn:aws:s3:::src"], ["arn:aws:s3:::src"], true],
    ["ArnLike", ["arn:aws:s3:::src-1"], ["arn:aws:s3:::src-*"], true],
    ["ArnLike", ["arn:aws:iam::111122223333:user/bob"], ["arn:aws:iam::*:user/bob"], true],
    ["ArnLike", ["arn:aws:iam::111122223333:user/bob"], ["arn:aws:iam::*:user/alice"], false],
    ["ArnLike", ["arn:aws:iam::111122223333:user/bob"], ["arn:aws:*"], false], // fewer than six fields
    ["ArnLike", ["arn:aws:s3:::a:b"], ["arn:aws:s3:::a:*"], true], // the last field keeps its colons
    ["ArnNotLike", ["arn:aws:s3:::other"], ["arn:aws:s3:::src-*"], true],
    ["ArnNotEquals", ["arn:aws:s3:::src"], ["arn:aws:s3:::src"], false],
    ["NumericEquals", ["10"], ["10.0"], true],
    ["NumericNotEquals", ["10"], ["11"], true],
    ["NumericLessThan", ["5"], ["10"], true], // numeric, not lexical
    ["NumericLessThan", ["10"], ["10"], false],
    ["NumericLessThanEquals", ["10"], ["10"], true],
    ["NumericGreaterThan", ["100"], ["20"], true],
    ["NumericGreaterThanEquals", ["19"], ["20"], false],
    ["NumericLessThan", ["abc"], ["10"], false],
    ["NumericLessThan", [""], ["10"], false],
    ["DateEquals", ["1577836800"], ["2020-01-01T00:00:00Z"], true], // epoch seconds and ISO 8601
    ["DateNotEquals", ["2020-01-01T00:00:00Z"], ["2020-01-02T00:00:00Z"], true],
    ["DateLessThan", ["2020-01-01T00:00:00Z"], ["2021-01-01T00:00:00Z"], true],
    ["DateLessThanEquals", ["2021-01-01T00:00:00Z"], ["2021-01-01T00:00:00Z"], true],
    ["DateGreaterThan", ["2020-01-01T00:00:00Z"], ["2021-01-01T00:00:00Z"], false],
    ["DateGreaterThanEquals", ["2021-06-01T00:00:00Z"], ["2021-01-01"], true],
    ["Bool", ["false"], ["false"], true],
    ["Bool", ["true"], ["false"], false],
    ["Bool", ["TRUE"], ["true"], true],
  ];
  it.each(cases)("%s %j against %j is %s", (...c) => check(c));
});

describe("IpAddress / NotIpAddress", () => {
  const cases: Case[] = [
    ["IpAddress", ["127.0.0.1"], ["127.0.0.1/32"], true],
    ["IpAddress", ["127.0.0.2"], ["127.0.0.1/32"], false],
    ["IpAddress", ["10.200.3.4"], ["10.0.0.0/8"], true],
    ["IpAddress", ["11.0.0.1"], ["10.0.0.0/8"], false],
    ["IpAddress", ["192.168.1.77"], ["192.168.1.64/26"], true],
    ["IpAddress", ["192.168.1.128"], ["192.168.1.64/26"], false],
    ["IpAddress", ["203.0.113.5"], ["203.0.113.5"], true], // no prefix: one address
    ["IpAddress", ["::ffff:127.0.0.1"], ["127.0.0.0/8"], true], // IPv4-mapped form of a dual-stack socket
    ["IpAddress", ["2001:db8::1"], ["2001:db8::/32"], true],
    ["IpAddress", ["2001:db9::1"], ["2001:db8::/32"], false],
    ["IpAddress", ["::1"], ["::1/128"], true],
    ["IpAddress", ["127.0.0.1"], ["::1/128"], false], // families never match each other
    ["IpAddress", ["::1"], ["0.0.0.0/0"], false],
    ["IpAddress", ["not-an-ip"], ["0.0.0.0/0"], false],
    ["IpAddress", ["10.0.0.1"], ["192.168.0.0/16", "10.0.0.0/8"], true],
    ["NotIpAddress", ["127.0.0.1"], ["10.0.0.0/8", "2001:db8::/32"], true],
    ["NotIpAddress", ["10.1.1.1"], ["10.0.0.0/8"], false],
  ];
  it.each(cases)("%s %j in %j is %s", (...c) => check(c));
});

describe("keys missing from the request", () => {
  it.each<Case>([
    ["StringEquals", undefined, ["a"], false],
    ["StringLike", undefined, ["*"], false],
    ["NumericLessThan", undefined, ["10"], false],
    ["IpAddress", undefined, ["0.0.0.0/0"], false],
    ["Bool", undefined, ["false"], false],
    ["StringNotEquals", undefined, ["projects"], true], // negated operators hold when the key is absent
    ["StringNotLike", undefined, ["a*"], true],
    ["NotIpAddress", undefined, ["10.0.0.0/8"], true],
    ["ArnNotLike", undefined, ["arn:aws:s3:::x"], true],
    ["StringEqualsIfExists", undefined, ["AES256"], true],
    ["NumericLessThanIfExists", undefined, ["10"], true],
    ["StringEquals", [], ["a"], false], // an empty set is absent too
    ["ForAnyValue:StringEquals", undefined, ["a"], false],
    ["ForAnyValue:StringNotEquals", undefined, ["a"], false],
    ["ForAllValues:StringEquals", undefined, ["a"], true],
    ["ForAllValues:StringEquals", [], ["a"], true],
  ])("%s with %j against %j is %s", (...c) => check(c));

  it("IfExists still tests a value that is present", () => {
    check(["StringEqualsIfExists", ["aws:kms"], ["AES256"], false]);
    check(["StringEqualsIfExists", ["AES256"], ["AES256"], true]);
    check(["StringNotEqualsIfExists", ["AES256"], ["AES256"], false]);
  });
});

describe("Null", () => {
  it.each<Case>([
    ["Null", undefined, ["true"], true],
    ["Null", [], ["true"], true],
    ["Null", ["x"], ["true"], false],
    ["Null", ["x"], ["false"], true],
    ["Null", undefined, ["false"], false],
    ["Null", undefined, ["TRUE"], true],
  ])("%s with %j against %j is %s", (...c) => check(c));
});

describe("set modifiers on multi-valued keys", () => {
  it.each<Case>([
    ["ForAllValues:StringEquals", ["project", "owner"], ["project", "owner", "cost"], true],
    ["ForAllValues:StringEquals", ["project", "evil"], ["project", "owner"], false],
    ["ForAnyValue:StringEquals", ["evil", "project"], ["project"], true],
    ["ForAnyValue:StringEquals", ["evil", "other"], ["project"], false],
    ["ForAllValues:StringLike", ["tmp/a", "tmp/b"], ["tmp/*"], true],
    ["ForAllValues:StringNotEquals", ["a", "b"], ["x"], true], // every value differs from every policy value
    ["ForAllValues:StringNotEquals", ["a", "x"], ["x"], false],
    ["ForAnyValue:StringNotEquals", ["a", "x"], ["x"], true], // some value differs
    ["ForAnyValue:StringNotEquals", ["x"], ["x"], false],
    ["ForAnyValue:StringLikeIfExists", undefined, ["a*"], true],
    ["StringEquals", ["evil", "project"], ["project"], true], // without a modifier: any value may match
    ["StringNotEquals", ["evil", "project"], ["project"], false],
  ])("%s with %j against %j is %s", (...c) => check(c));
});
