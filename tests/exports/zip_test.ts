/**
 * ZIP bundles: the per-chart archive passes `unzip -t` and holds every format
 * (its PNG decoding at the default size); the session archive, fetched over
 * HTTP from a real server, holds one folder per chart, a README index, a
 * Dockerfile and a rebuild script that really redraws every chart.
 */
import assert from "node:assert/strict";
import { renderZip } from "@/lib/exports/zip.ts";
import { CHART_FILES } from "@/lib/exports/zip.ts";
import { SESSION_ROOT_FILES } from "@/lib/exports/session_zip.ts";
import { Client, seedChart, startTestServer } from "@/tests/_fixtures.ts";
import { decodePng } from "@/tests/_png.ts";
import { bytesOf, hostileInput, simpleInput, tempFile } from "./_inputs.ts";
import { PYTHON, run, runOk, tool } from "./_tools.ts";

const unzip = tool("unzip", "unzip", ["-v"], "unzip");
const plotting = tool(
  "pandas + matplotlib",
  PYTHON,
  ["-c", "import pandas, matplotlib"],
  "python3-pandas python3-matplotlib",
);

/** Returns the paths inside an archive, as unzip lists them. */
async function listing(path: string): Promise<string[]> {
  const { stdout } = await runOk("unzip", ["-Z1", path]);
  return stdout.split("\n").filter(Boolean);
}

Deno.test({
  name: "zip: one chart's archive passes unzip -t and holds every format",
  ignore: unzip.ignore,
  async fn() {
    const result = renderZip(hostileInput());
    assert.ok(result.body instanceof ReadableStream);
    await using file = await tempFile("chart.zip", await bytesOf(result));
    const test = await runOk("unzip", ["-t", file.path]);
    assert.match(test.stdout, /No errors detected/);
    const folder = "sales-b-q1-b-script-script-alert-1-script";
    assert.deepEqual(
      await listing(file.path),
      CHART_FILES.map((name) => `${folder}/${name}`),
    );
    await runOk("unzip", ["-q", file.path, "-d", file.dir]);
    const png = decodePng(
      await Deno.readFile(`${file.dir}/${folder}/chart.png`),
    );
    assert.deepEqual([png.width, png.height], [1600, 900]);
    const svg = await Deno.readTextFile(`${file.dir}/${folder}/chart.svg`);
    assert.match(svg, /<svg width="800" height="450"/);
    const readme = await Deno.readTextFile(`${file.dir}/${folder}/README.md`);
    assert.ok(readme.includes("&lt;/script&gt;"), readme.slice(0, 200));
    assert.ok(!readme.includes("</script>"));
  },
});

Deno.test({
  name: "zip: the archive streams in many chunks, files made as it is read",
  async fn() {
    const body = renderZip(hostileInput()).body as ReadableStream<Uint8Array>;
    const reader = body.getReader();
    const first = await reader.read();
    assert.ok(first.value && first.value.length < 200_000);
    let chunks = 1;
    while (!(await reader.read()).done) chunks++;
    assert.ok(chunks > 13, `${chunks} chunks`);
  },
});

Deno.test({
  name: "zip: a session's archive over HTTP, indexed, with a working rebuild",
  ignore: unzip.ignore || plotting.ignore,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using server = await startTestServer();
    const client = new Client(server.url);
    const sessionId = await client.createSession();
    await client.chat(sessionId, "line chart of pm25 by date for Kampala");
    await client.chat(sessionId, "bar chart of average no2 per city");

    const response = await client.fetch(
      `/api/sessions/${sessionId}/export?format=zip`,
    );
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "application/zip");
    assert.match(
      response.headers.get("content-disposition") ?? "",
      /^attachment; filename=".*\.zip"/,
    );
    await using file = await tempFile(
      "session.zip",
      new Uint8Array(await response.arrayBuffer()),
    );
    assert.match((await runOk("unzip", ["-t", file.path])).stdout, /No errors/);
    const paths = await listing(file.path);
    for (const name of SESSION_ROOT_FILES) {
      assert.ok(paths.includes(name), name);
    }
    const folders = [
      ...new Set(
        paths.filter((p) => p.includes("/")).map((p) => p.split("/")[0]),
      ),
    ];
    assert.equal(folders.length, 2, folders.join(", "));
    assert.match(folders[0], /^01-.*pm25/);
    assert.match(folders[1], /^02-/);
    for (const folder of folders) {
      for (const name of CHART_FILES) {
        assert.ok(paths.includes(`${folder}/${name}`), `${folder}/${name}`);
      }
    }

    await runOk("unzip", ["-q", file.path, "-d", `${file.dir}/x`]);
    const root = `${file.dir}/x`;
    const readme = await Deno.readTextFile(`${root}/README.md`);
    for (const folder of folders) assert.ok(readme.includes(folder), folder);
    const dockerfile = await Deno.readTextFile(`${root}/Dockerfile`);
    assert.match(dockerfile, /^FROM python:3\.12-slim$/m);
    assert.match(dockerfile, /pip install -r requirements\.txt/);
    assert.match(dockerfile, /CMD \["sh", "rebuild\.sh", "out"\]/);
    assert.match(await Deno.readTextFile(`${root}/.dockerignore`), /out\//);

    // What the container's CMD runs, with this machine's Python.
    const rebuilt = await run("sh", ["rebuild.sh", "out"], {
      cwd: root,
      env: { PATH: `${PYTHON.replace(/\/python3$/, "")}:/bin:/usr/bin` },
    });
    assert.equal(rebuilt.code, 0, rebuilt.stderr);
    for (const folder of folders) {
      const png = decodePng(await Deno.readFile(`${root}/out/${folder}.png`));
      assert.deepEqual([png.width, png.height], [1600, 900]);
    }

    // Somebody else's session is not found; a wrong format is a 400.
    const stranger = new Client(server.url);
    const hidden = await stranger.fetch(
      `/api/sessions/${sessionId}/export?format=zip`,
    );
    assert.equal(hidden.status, 404);
    await hidden.body?.cancel();
    const wrong = await client.fetch(
      `/api/sessions/${sessionId}/export?format=tar`,
    );
    assert.equal(wrong.status, 400);
    assert.match((await wrong.json()).error.message, /format must be zip/);
  },
});

Deno.test({
  name:
    "export route: every format downloads; SVG and HTML carry a restrictive CSP",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using server = await startTestServer();
    const client = new Client(server.url);
    const sessionId = await client.createSession();
    const frames = await client.chat(
      sessionId,
      "bar chart of average no2 per city",
    );
    const id = frames.find((f) => f.event === "artifact_created")!.data
      .artifact_id;
    for (
      const format of [
        "svg",
        "pdf",
        "xlsx",
        "xml",
        "json",
        "html",
        "ipynb",
        "py",
        "requirements",
        "zip",
      ]
    ) {
      const response = await client.fetch(
        `/api/artifacts/${id}/export?format=${format}`,
      );
      assert.equal(response.status, 200, format);
      const csp = response.headers.get("content-security-policy");
      if (format === "svg") {
        assert.match(csp ?? "", /default-src 'none'/);
        assert.doesNotMatch(csp ?? "", /script-src/);
      } else if (format === "html") {
        assert.match(csp ?? "", /default-src 'none'.*sandbox allow-scripts/);
      } else {
        assert.equal(csp, null, format);
      }
      assert.ok((await response.arrayBuffer()).byteLength > 100, format);
    }
    const link = await client.json(`/api/artifacts/${id}/links`, "POST", {
      format: "csv",
      options: { delimiter: "semicolon", bom: true },
    });
    assert.equal(link.status, 201);
    const signed = await fetch((await link.json()).url);
    const bytes = new Uint8Array(await signed.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.ok(new TextDecoder().decode(bytes).split("\r\n")[0].includes(";"));
    const bad = await client.fetch(
      `/api/artifacts/${id}/export?format=xlsx&width=10`,
    );
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).error.message, /"width"/);
  },
});

Deno.test({
  name:
    "zip: a session of a histogram, a donut, a heatmap and stacked horizontal bars holds each in every format",
  ignore: unzip.ignore,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using server = await startTestServer();
    const client = new Client(server.url);
    const sessionId = await client.createSession();
    const bars = simpleInput("bar");
    bars.spec = { ...bars.spec, horizontal: true, stacked: true };
    const inputs = [
      ...(["histogram", "donut", "heatmap"] as const).map(simpleInput),
      bars,
    ];
    for (const input of inputs) {
      await seedChart(server.kv, sessionId, [input]);
    }
    const response = await client.fetch(
      `/api/sessions/${sessionId}/export?format=zip`,
    );
    assert.equal(response.status, 200);
    await using file = await tempFile(
      "session.zip",
      new Uint8Array(await response.arrayBuffer()),
    );
    assert.match((await runOk("unzip", ["-t", file.path])).stdout, /No errors/);
    await runOk("unzip", ["-q", file.path, "-d", `${file.dir}/x`]);
    const root = `${file.dir}/x`;
    const readme = await Deno.readTextFile(`${root}/README.md`);
    for (const type of ["histogram", "donut", "heatmap", "bar"]) {
      assert.match(readme, new RegExp(`\\| ${type} \\|`), type);
    }
    const folders = [...Deno.readDirSync(root)]
      .filter((e) => e.isDirectory).map((e) => e.name).sort();
    assert.equal(folders.length, 4, folders.join(", "));
    for (const [i, folder] of folders.entries()) {
      assert.deepEqual(paths(root, folder).sort(), [...CHART_FILES].sort());
      const json = JSON.parse(
        await Deno.readTextFile(`${root}/${folder}/chart.json`),
      );
      assert.equal(json.chart.type, inputs[i].spec.type, folder);
      const png = decodePng(await Deno.readFile(`${root}/${folder}/chart.png`));
      assert.deepEqual([png.width, png.height], [1600, 900]);
    }
    // Each chart.py is the script export, which python_test.ts runs per type.
  },
});

/** The file names in one folder of an unpacked archive. */
function paths(root: string, folder: string): string[] {
  return [...Deno.readDirSync(`${root}/${folder}`)].map((e) => e.name);
}
