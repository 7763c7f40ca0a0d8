/**
 * The Python exports run by real Python: the script (Debian python3 with
 * pandas + matplotlib) writes a valid PNG of the requested size, --dry-run
 * writes nothing, bad arguments exit 2; the notebook is executed by
 * `jupyter nbconvert --execute` and its last cell outputs an image.
 */
import assert from "node:assert/strict";
import { chartScript } from "../../lib/exports/python.ts";
import { chartNotebook, markdownText } from "../../lib/exports/notebook.ts";
import { pyCell, pyString } from "../../lib/exports/python_chart.ts";
import { decodePng } from "../_png.ts";
import { HOSTILE, hostileInput, simpleInput, tempFile } from "./_inputs.ts";
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

Deno.test({
  name: "python: every chart type draws, horizontal and stacked bars included",
  ignore: plotting.ignore,
  async fn() {
    const inputs = (["line", "bar", "area", "pie", "scatter"] as const).map(
      simpleInput,
    );
    const horizontal = simpleInput("bar");
    horizontal.spec = { ...horizontal.spec, horizontal: true, stacked: true };
    inputs.push(horizontal);
    await using dir = await tempFile("README", encoder.encode(""));
    for (const [i, input] of inputs.entries()) {
      const path = `${dir.dir}/chart${i}.py`;
      await Deno.writeTextFile(path, chartScript(input));
      await runOk(PYTHON, [path, "--output", `${dir.dir}/chart${i}.svg`]);
      const svg = await Deno.readTextFile(`${dir.dir}/chart${i}.svg`);
      assert.ok(svg.includes("<svg"), input.spec.type);
    }
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
    "notebook: jupyter nbconvert executes it and the last cell outputs an image",
  ignore: nbconvert.ignore || plotting.ignore,
  sanitizeResources: false,
  async fn() {
    const input = hostileInput();
    await using file = await tempFile(
      "chart.ipynb",
      encoder.encode(JSON.stringify(chartNotebook(input))),
    );
    await runOk("jupyter", [
      "nbconvert",
      "--to",
      "notebook",
      "--execute",
      "--ExecutePreprocessor.timeout=120",
      "--output",
      "executed.ipynb",
      file.path,
    ], { cwd: file.dir, env: { PYDEVD_DISABLE_FILE_VALIDATION: "1" } });
    const executed = JSON.parse(
      await Deno.readTextFile(`${file.dir}/executed.ipynb`),
    );
    const code = executed.cells.filter((c: { cell_type: string }) =>
      c.cell_type === "code"
    );
    for (const cell of code) {
      assert.ok(
        !cell.outputs.some((o: { output_type: string }) =>
          o.output_type === "error"
        ),
        cell.id,
      );
    }
    const last = code[code.length - 1];
    const image = last.outputs.find((o: { data?: Record<string, string> }) =>
      o.data?.["image/png"]
    );
    assert.ok(image, "the last cell shows no image");
    const png = decodePng(
      Uint8Array.from(atob(image.data["image/png"]), (c) => c.charCodeAt(0)),
    );
    assert.ok(
      png.width > 300 && png.height > 150,
      `${png.width}×${png.height}`,
    );
    assert.ok(png.distinctColours > 20);
    // The notebook is valid nbformat, as Jupyter's own validator says.
    await runOk(PYTHON, [
      "-c",
      "import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))",
      `${file.dir}/executed.ipynb`,
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
