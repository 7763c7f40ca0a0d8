import assert from "node:assert/strict";
import { AppError } from "@/lib/errors.ts";
import { RENDER_LIMITS, validateOption } from "@/lib/render_api/validate.ts";
import { renderRequestFromQuery } from "@/lib/render_api/request.ts";
import { compileOption } from "@/lib/charts/compile.ts";
import { CHART_TYPES } from "@/lib/charts/spec.ts";
import { simpleInput } from "@/tests/exports/_inputs.ts";
import { canonicalJson, matchesEtag } from "@/lib/kv/render_cache.ts";
import {
  barOption,
  lineOption,
  scatterOption,
} from "@/tests/charts/_chart_options.ts";

function refusal(option: unknown): AppError {
  try {
    validateOption(option);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  assert.fail(`accepted ${JSON.stringify(option).slice(0, 100)}`);
}

Deno.test("render validate: ordinary options pass, text may mention URLs", () => {
  for (const option of [lineOption(), barOption(), scatterOption(2000)]) {
    assert.equal(validateOption(option), option);
  }
  validateOption({
    title: { text: "Source: https://example.com, see url(notes)" },
    xAxis: { type: "category", data: ["function", "=>", "url(x)"] },
    yAxis: {},
    series: [{
      type: "scatter",
      symbol: "path://M0 0L10 0L5 10Z",
      name: "a => b",
      label: { show: true, formatter: "{b}: {c}" },
      data: [[1, 2]],
    }],
  });
});

Deno.test("render validate: the data point limit counts every series and dataset", () => {
  const half = Math.ceil(RENDER_LIMITS.maxPoints / 2) + 1;
  const error = refusal({
    dataset: { source: new Array(half).fill([1, 2]) },
    series: [{ type: "line", data: new Array(half).fill(1) }],
  });
  assert.equal(error.code, "too_many_points");
  assert.match(error.message, /more than 100000 data points/);
});

Deno.test("render validate: deep nesting is refused without exhausting the stack", () => {
  let deep: unknown = {};
  for (let i = 0; i < 10_000; i++) deep = { a: [deep] };
  const error = refusal(deep);
  assert.equal(error.code, "option_too_deep");
});

Deno.test("render validate: functions in any guise are refused by path", () => {
  for (
    const formatter of [
      "function (p) { return p.name }",
      "async function f() {}",
      "(p) => p.name",
      "p => p.value",
      "x + new Function('return 1')()",
    ]
  ) {
    const error = refusal({ tooltip: { formatter } });
    assert.equal(error.code, "function_not_allowed", formatter);
    assert.match(
      error.message,
      /^option\.tooltip\.formatter: functions are not accepted/,
    );
  }
});

Deno.test("render validate: external resources are refused wherever they hide", () => {
  const cases: [unknown, RegExp][] = [
    [
      { series: [{ type: "bar", markPoint: { symbol: "image://x.png" } }] },
      /markPoint\.symbol/,
    ],
    [{
      series: [{
        type: "bar",
        itemStyle: { decal: { symbol: "https://x/y.svg" } },
      }],
    }, /decal\.symbol/],
    [{
      series: [{
        type: "pie",
        data: [{ name: "a", value: 1, itemStyle: { color: { image: "x" } } }],
      }],
    }, /data\.0\.itemStyle\.color\.image/],
    [
      { series: [{ type: "bar", itemStyle: { color: "url(#x)" } }] },
      /itemStyle\.color: url/,
    ],
    [
      { textStyle: { fontFamily: "x; fill: url(http://x)" } },
      /fontFamily: url/,
    ],
    [{
      graphic: { elements: [{ type: "group", children: [{ type: "image" }] }] },
    }, /graphic\.elements\.0\.children\.0/],
    [{ title: { sublink: "javascript:alert(1)" } }, /title\.sublink: URLs/],
    [
      { legend: { data: [{ name: "a", icon: "data:image/png;base64,AAAA" }] } },
      /legend\.data\.0\.icon/,
    ],
    [{ toolbox: { show: true } }, /option\.toolbox/],
  ];
  for (const [option, where] of cases) {
    const error = refusal(option);
    assert.match(error.message, where, JSON.stringify(option));
    assert.ok(
      ["external_resource", "unsupported_option"].includes(error.code),
      error.code,
    );
  }
});

Deno.test("render request: query parameters are bounded and SVG ignores the scale", () => {
  const request = renderRequestFromQuery({
    c: JSON.stringify({ title: { text: "t" } }),
    w: "320",
    h: "200",
    s: "3",
    f: "svg",
  }, 10_000);
  assert.equal(request.scale, 1);
  assert.equal(request.background, "#ffffff");
  assert.throws(
    () => renderRequestFromQuery({ c: "x".repeat(101) }, 100),
    /larger than 100 bytes/,
  );
  assert.throws(
    () => renderRequestFromQuery({ c: "{" }, 100),
    /c is not valid JSON/,
  );
});

Deno.test("render cache: the hash input ignores key order; ETags match like HTTP says", () => {
  assert.equal(
    canonicalJson({ b: [1, { d: 1, c: undefined, a: "x" }], a: null }),
    '{"a":null,"b":[1,{"a":"x","d":1}]}',
  );
  assert.ok(matchesEtag('"x", W/"y"', '"y"'));
  assert.ok(matchesEtag("*", '"y"'));
  assert.ok(!matchesEtag('"x"', '"y"'));
  assert.ok(!matchesEtag(null, '"y"'));
});

Deno.test("render validate: the compiler's option of every chart type passes, static and interactive", () => {
  for (const type of CHART_TYPES) {
    const { spec, snapshot } = simpleInput(type);
    for (const interactive of [false, true]) {
      const option = compileOption(spec, snapshot, { interactive });
      assert.equal(validateOption(option), option, type);
    }
  }
});
