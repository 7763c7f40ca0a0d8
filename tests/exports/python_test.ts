/**
 * The Python exports run by real Python: the script (Debian python3 with
 * pandas + matplotlib) writes a valid PNG of the requested size, --dry-run
 * writes nothing, bad arguments exit 2; the notebook is executed by
 * `jupyter nbconvert --execute` and its last cell outputs an image.
 */
import assert from "node:assert/strict";
import { chartScript } from "@/lib/exports/python.ts";
import { chartNotebook, markdownText } from "@/lib/exports/notebook.ts";
import { pyCell, pyString } from "@/lib/exports/python_chart.ts";
import { decodePng } from "@/tests/_png.ts";
import { HOSTILE, hostileInput, simpleInput, tempFile } from "./_inputs.ts";
import { CHART_TYPES } from "@/lib/charts/spec.ts";
import type { ExportInput } from "@/lib/exports/types.ts";
import { PYTHON, run, runOk, tool } from "./_tools.ts";

const plotting = tool(
  "pandas + matplotlib",
  PYTHON,
  ["-c", "import pandas, matplotlib"],
  "python3-pandas python3-matplotlib",
);
const nbconvert = tool(
  "jupyter nbconvert",
  "jupyter",
  ["nbconvert", "--version"],
  "jupyter-nbconvert python3-ipykernel",
);

const encoder = new TextEncoder();

Deno.test({
  name:
    "python: the script writes a valid PNG at the requested size and exits 0",
  ignore: plotting.ignore,
  async fn() {
    await using script = await tempFile(
      "chart.py",
      encoder.encode(chartScript(hostileInput())),
    );
    const result = await run(PYTHON, [
      script.path,
      "--output",
      "out.png",
      "--width",
      "640",
      "--height",
      "400",
      "--scale",
      "2",
    ], { cwd: script.dir });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /INFO wrote out\.png \(1280 x 800 px\)/);
    const png = decodePng(await Deno.readFile(`${script.dir}/out.png`));
    assert.deepEqual([png.width, png.height], [1280, 800]);
    assert.ok(png.distinctColours > 20, `${png.distinctColours} colours`);
  },
});

Deno.test({
  name: "python: --dry-run draws but writes nothing; --verbose logs the steps",
  ignore: plotting.ignore,
  async fn() {
    await using script = await tempFile(
      "chart.py",
      encoder.encode(chartScript(hostileInput())),
    );
    const result = await run(PYTHON, [
      script.path,
      "--output",
      "out.png",
      "--dry-run",
      "--verbose",
    ], { cwd: script.dir });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /dry run: would write out\.png/);
    assert.match(result.stderr, /DEBUG drawing the line chart/);
    const files = [...Deno.readDirSync(script.dir)].map((e) => e.name);
    assert.deepEqual(files, ["chart.py"]);
  },
});

Deno.test({
  name: "python: bad arguments exit 2 with a message; --help exits 0",
  ignore: plotting.ignore,
  async fn() {
    await using script = await tempFile(
      "chart.py",
      encoder.encode(chartScript(simpleInput("bar"))),
    );
    for (
      const args of [
        ["--output", "out.gif"],
        ["--width", "5"],
        ["--scale", "9"],
        ["--nope"],
      ]
    ) {
      const result = await run(PYTHON, [script.path, ...args], {
        cwd: script.dir,
      });
      assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
      assert.match(result.stderr, /error:/);
    }
    const help = await run(PYTHON, [script.path, "--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--dry-run/);
    // A place it cannot write is exit 1, not a traceback.
    const blocked = await run(PYTHON, [
      script.path,
      "--output",
      "/proc/chartroom/out.png",
    ]);
    assert.equal(blocked.code, 1, blocked.stderr);
    assert.match(blocked.stderr, /ERROR could not write/);
  },
});

/**
 * Loads each script as a module, calls its build_figure and prints what
 * matplotlib drew on the chart's axes, one JSON line per script.
 */
const FIGURE_REPORT = `
import importlib.util, json, sys
import matplotlib
matplotlib.use("Agg")
from matplotlib.patches import Rectangle, Wedge
for path in sys.argv[1:]:
    spec = importlib.util.spec_from_file_location("chart", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fig = module.build_figure((8, 4.5))
    ax = fig.axes[0]
    print(json.dumps({
        "rects": [[float(v) for v in (p.get_x(), p.get_y(), p.get_width(), p.get_height())]
                  for p in ax.patches if isinstance(p, Rectangle)],
        "rings": [p.width for p in ax.patches if isinstance(p, Wedge)],
        "images": [list(map(float, im.get_array().filled(-1).ravel())) for im in ax.images],
        "axes": len(fig.axes),
        "lines": len(ax.lines),
        "fills": len(ax.collections),
        "xticks": [t.get_text() for t in ax.get_xticklabels()],
        "yticks": [t.get_text() for t in ax.get_yticklabels()],
    }))
`;

interface Figure {
  rects: [number, number, number, number][];
  rings: (number | null)[];
  images: number[][];
  axes: number;
  lines: number;
  fills: number;
  xticks: string[];
  yticks: string[];
}

Deno.test({
  name:
    "python: every chart type rebuilds the same kind of matplotlib chart, horizontal and stacked included",
  ignore: plotting.ignore,
  async fn() {
    const inputs = CHART_TYPES.map((type) => ({
      name: type as string,
      input: simpleInput(type),
    }));
    const flagged = (name: string, flags: Partial<ExportInput["spec"]>) => {
      const input = simpleInput("bar");
      input.spec = { ...input.spec, ...flags };
      inputs.push({ name, input });
    };
    flagged("horizontal", { horizontal: true });
    flagged("stacked", { stacked: true });
    flagged("horizontal-stacked", { horizontal: true, stacked: true });
    await using dir = await tempFile("README", encoder.encode(""));
    const paths = [];
    for (const { name, input } of inputs) {
      const path = `${dir.dir}/${name}.py`;
      await Deno.writeTextFile(path, chartScript(input));
      paths.push(path);
    }
    const { stdout } = await runOk(PYTHON, ["-c", FIGURE_REPORT, ...paths]);
    const figures = new Map(
      stdout.trim().split("\n").map((line, i) =>
        [inputs[i].name, JSON.parse(line) as Figure] as const
      ),
    );
    const at = (name: string) => figures.get(name)!;

    assert.ok(at("line").lines >= 2, "a line per series");
    assert.ok(at("area").fills >= 2, "an area fill per series");
    assert.ok(at("scatter").fills >= 1, "points");
    assert.deepEqual(at("pie").rings, [null, null, null, null]);
    // Two series side by side: 8 bars, none stacked.
    assert.ok(at("bar").rects.every(([, y]) => y === 0));

    // A histogram: bars of exactly the bin width from each lower edge,
    // touching, and the empty 0.75 bin's edge still labelled.
    const bins = at("histogram").rects;
    assert.deepEqual(bins.map(([x, , w]) => [x, w]), [
      [0, 0.25],
      [0.25, 0.25],
      [0.5, 0.25],
      [1, 0.25],
      [1.25, 0.25],
    ]);
    assert.deepEqual(bins.map(([, , , h]) => h), [3, 9, 14, 6, 2]);
    assert.deepEqual(at("histogram").xticks, [
      "0",
      "0.25",
      "0.5",
      "0.75",
      "1",
      "1.25",
      "1.5",
    ]);

    // A donut: wedges drawn as a ring.
    assert.deepEqual(at("donut").rings, [0.4, 0.4, 0.4, 0.4]);

    // A heatmap: one image whose rows are the series, and a colorbar.
    const heat = at("heatmap");
    assert.deepEqual(heat.images, [[120, 150, 90, 200, 80, 90, 95, 110]]);
    assert.equal(heat.axes, 2, "the colorbar has its own axes");
    assert.deepEqual(heat.yticks, ["Revenue", "Cost"]);

    // Horizontal bars grow along x (barh); stacked ones start where the
    // previous series ends.
    const horizontal = at("horizontal").rects;
    assert.ok(horizontal.every(([x, , w, h]) => x === 0 && w > h));
    const stacked = at("stacked").rects;
    assert.deepEqual(stacked.slice(4).map(([, y]) => y), [120, 150, 90, 200]);
    const both = at("horizontal-stacked").rects;
    assert.deepEqual(both.slice(4).map(([x]) => x), [120, 150, 90, 200]);
    assert.ok(both.every(([, , w, h]) => w > h || w === 0));
  },
});

Deno.test("python: literals keep hostile text inside its string", () => {
  assert.equal(pyString('a"b\\c\n</script>'), '"a\\"b\\\\c\\n</script>"');
  assert.equal(pyString("\ud800x"), '"\ufffdx"');
  assert.equal(pyCell(null), "None");
  assert.equal(pyCell(1e21), "1e+21");
  assert.equal(pyCell(-0.5), "-0.5");
  assert.equal(
    markdownText("# a *b* <c> & $5"),
    "\\# a \\*b\\* &lt;c&gt; &amp; \\$5",
  );
});

Deno.test("notebook: nbformat 4.5 with unique cell ids and the required cells", () => {
  const nb = chartNotebook(hostileInput()) as {
    nbformat: number;
    nbformat_minor: number;
    cells: { id: string; cell_type: string; source: string[] }[];
  };
  assert.equal(nb.nbformat, 4);
  assert.equal(nb.nbformat_minor, 5);
  const ids = nb.cells.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.match(id, /^[a-zA-Z0-9_-]{1,64}$/);
  assert.deepEqual(ids, [
    "title",
    "provenance",
    "interpretation",
    "imports",
    "settings",
    "data",
    "step-2-load",
    "step-3-types",
    "chart",
  ]);
  const text = (id: string) =>
    nb.cells.find((c) => c.id === id)!.source.join("");
  assert.ok(
    text("provenance").includes(HOSTILE.query),
    "the SQL is shown as is",
  );
  assert.ok(text("imports").includes("import pandas as pd"));
  assert.ok(text("chart").includes("plt.show()"));
});

Deno.test({
  name:
    "notebook: jupyter nbconvert executes it (the hostile line, a histogram, a donut, a heatmap) and the last cell outputs an image",
  ignore: nbconvert.ignore || plotting.ignore,
  sanitizeResources: false,
  async fn() {
    const inputs = {
      hostile: hostileInput(),
      histogram: simpleInput("histogram"),
      donut: simpleInput("donut"),
      heatmap: simpleInput("heatmap"),
    };
    await using dir = await tempFile("README", encoder.encode(""));
    const paths = Object.entries(inputs).map(([name, input]) => {
      const path = `${dir.dir}/${name}.ipynb`;
      Deno.writeTextFileSync(path, JSON.stringify(chartNotebook(input)));
      return path;
    });
    // One nbconvert for them all: its start-up is most of the time.
    await runOk("jupyter", [
      "nbconvert",
      "--to",
      "notebook",
      "--execute",
      "--ExecutePreprocessor.timeout=120",
      "--output-dir",
      `${dir.dir}/out`,
      ...paths,
    ], { env: { PYDEVD_DISABLE_FILE_VALIDATION: "1" } });
    for (const name of Object.keys(inputs)) {
      const executed = JSON.parse(
        await Deno.readTextFile(`${dir.dir}/out/${name}.ipynb`),
      );
      const code = executed.cells.filter((c: { cell_type: string }) =>
        c.cell_type === "code"
      );
      for (const cell of code) {
        const error = cell.outputs.find((o: { output_type: string }) =>
          o.output_type === "error"
        );
        assert.ok(!error, `${name} ${cell.id}: ${error?.evalue}`);
      }
      const image = code.at(-1).outputs.find((
        o: { data?: Record<string, string> },
      ) => o.data?.["image/png"]);
      assert.ok(image, `${name}: the last cell shows no image`);
      const png = decodePng(
        Uint8Array.from(atob(image.data["image/png"]), (c) => c.charCodeAt(0)),
      );
      assert.ok(
        png.width > 300 && png.height > 150,
        `${name}: ${png.width}×${png.height}`,
      );
      assert.ok(png.distinctColours > 20, `${name}: ${png.distinctColours}`);
    }
    // The notebook is valid nbformat, as Jupyter's own validator says.
    await runOk(PYTHON, [
      "-c",
      "import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))",
      `${dir.dir}/out/hostile.ipynb`,
    ]);
  },
});

Deno.test({
  name: "notebook: its markdown renders the hostile title as text, not markup",
  ignore: nbconvert.ignore,
  async fn() {
    await using file = await tempFile(
      "chart.ipynb",
      encoder.encode(JSON.stringify(chartNotebook(hostileInput()))),
    );
    await runOk("jupyter", [
      "nbconvert",
      "--to",
      "html",
      "--output",
      "chart.html",
      file.path,
    ], { cwd: file.dir });
    const html = await Deno.readTextFile(`${file.dir}/chart.html`);
    const heading = /<h1[^>]*>(.*?)<a class="anchor-link"/s.exec(html)?.[1] ??
      "";
    assert.ok(
      heading.includes("&lt;/script&gt;&lt;script&gt;alert(1)"),
      heading,
    );
    assert.ok(!html.includes("<script>alert(1)"));
    assert.ok(!html.includes("<b>12%</b>"));
  },
});
