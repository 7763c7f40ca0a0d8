/**
 * Every route of the API, walked from the route manifest (fresh.gen.ts), is
 * refused to a second identity, an anonymous client, a forged cookie (the
 * owner's own id with a wrong signature) and a revoked API token, and the
 * owner's data is unchanged afterwards; the owner's own requests with the
 * same bodies then succeed, so the refusals are about who asks.
 */
import assert from "node:assert/strict";
import { Client, startTestServer } from "@/tests/_fixtures.ts";
import manifest from "@/fresh.gen.ts";
import { routePathOf } from "@/lib/http/route_paths.ts";
import type { Handlers } from "@/lib/http/types.ts";
import { eventually } from "@/tests/_instances.ts";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

interface Route {
  method: string;
  pattern: string;
}

/** Every (method, pattern) of the API in the manifest. */
async function apiRoutes(): Promise<Route[]> {
  const out: Route[] = [];
  for (const [file, load] of Object.entries(manifest.routes)) {
    const pattern = routePathOf(file);
    if (!pattern?.startsWith("/api/")) continue;
    const handlers = ((await load()).handler ?? {}) as Handlers;
    for (const method of METHODS) {
      if (handlers[method]) out.push({ method, pattern });
    }
  }
  return out;
}

/** Routes that act on the caller alone (no record of anyone named in the path). */
const OWN = new Set([
  "GET /api/sessions",
  "POST /api/sessions",
  "GET /api/tokens",
  "POST /api/tokens",
  "POST /api/sessions/restore",
  "GET /api/render",
  "POST /api/render",
]);

const CHART_PROMPT = "bar chart of average no2 per city";
const CSV = "city,amount\nLagos,3\nAccra,5\n";
const OPTION = {
  xAxis: { type: "category", data: ["a", "b"] },
  yAxis: {},
  series: [{ type: "bar", data: [1, 2] }],
};

/** The query each route gets, where it needs one. */
const QUERY: Record<string, string> = {
  "GET /api/artifacts/:id/export": "?format=csv",
  "GET /api/datasets/:id/export": "?format=csv",
  "GET /api/sessions/:id/export": "?format=zip",
  "GET /api/render": `?c=${
    encodeURIComponent(JSON.stringify({
      xAxis: { type: "category", data: ["a"] },
      yAxis: {},
      series: [{ type: "bar", data: [1] }],
    }))
  }`,
};

/** The body each route gets: one the owner's request succeeds with. */
function bodyOf(method: string, pattern: string): RequestInit {
  const json = (value: unknown): RequestInit => ({
    headers: { "content-type": "application/json" },
    body: JSON.stringify(value),
  });
  switch (`${method} ${pattern}`) {
    case "POST /api/sessions":
      return json({ title: "mine" });
    case "PATCH /api/sessions/:id":
      return json({ title: "renamed" });
    case "POST /api/sessions/:id/messages":
      return json({ content: CHART_PROMPT });
    case "POST /api/sessions/:id/datasets":
      return { body: CSV, headers: { "x-filename": "more.csv" } };
    case "POST /api/sessions/:id/workflows":
      return json({
        input: "t.csv",
        steps: [{ operation: "convert", arguments: { format: "csv" } }],
      });
    case "POST /api/artifacts/:id/links":
      return json({ format: "csv" });
    case "POST /api/tokens":
      return json({ name: "another" });
    case "POST /api/render":
      return json({ option: OPTION });
    case "POST /api/sessions/:id/shares":
      return json({});
    case "POST /api/sessions/restore":
      return { body: new Uint8Array([0x50, 0x4b, 5, 6]) };
  }
  return {};
}

Deno.test("access: every API route refuses a second identity, an anonymous client, a forged cookie and a revoked token", async () => {
  await using server = await startTestServer();
  const owner = new Client(server.url);
  const { sessionId, artifactId } = await owner.sessionWithChart(CHART_PROMPT);
  const upload = await owner.fetch(
    `/api/sessions/${sessionId}/datasets?filename=t.csv`,
    { method: "POST", body: CSV },
  );
  const datasetId = (await upload.json()).id;
  const started = await (await owner.json(
    `/api/sessions/${sessionId}/workflows`,
    "POST",
    bodyOf("POST", "/api/sessions/:id/workflows").body
      ? JSON.parse(bodyOf("POST", "/api/sessions/:id/workflows").body as string)
      : {},
  )).json();
  const jobId = started.id;
  const token = await (await owner.json("/api/tokens", "POST", {
    name: "kept",
  })).json();
  const revoked = await (await owner.json("/api/tokens", "POST", {
    name: "revoked",
  })).json();
  (await owner.fetch(`/api/tokens/${revoked.id}`, { method: "DELETE" })).body
    ?.cancel();
  const share = await owner.json(
    `/api/sessions/${sessionId}/shares`,
    "POST",
    {},
  );
  const shareId = share.status === 201 ? (await share.json()).id : "";
  if (!shareId) await share.body?.cancel();
  await eventually("the workflow to end", async () => {
    const job = await (await owner.fetch(`/api/workflows/${jobId}`)).json();
    return job.status === "completed";
  });

  const params: Record<string, Record<string, string>> = {
    "/api/sessions/:id": { id: sessionId, shareId },
    "/api/artifacts/:id": { id: artifactId, n: "1" },
    "/api/datasets/:id": { id: datasetId },
    "/api/workflows/:id": { id: jobId },
    "/api/tokens/:id": { id: token.id },
  };
  const pathOf = (pattern: string) => {
    const scope = Object.keys(params).find((p) =>
      pattern === p || pattern.startsWith(p + "/")
    );
    return pattern.replace(/:(\w+)/g, (_, name: string) => {
      const value = scope ? params[scope][name] : undefined;
      assert.ok(value, `no id for :${name} of ${pattern}: add it to the test`);
      return value;
    });
  };

  const ownerIds = [sessionId, artifactId, datasetId, jobId, token.id];
  /** What the owner sees: must be the same after every intruder's request. */
  const snapshot = async () => {
    const parts = await Promise.all([
      `/api/sessions/${sessionId}`,
      `/api/sessions/${sessionId}/artifacts`,
      `/api/sessions/${sessionId}/datasets`,
      `/api/sessions/${sessionId}/workflows`,
      `/api/artifacts/${artifactId}`,
      "/api/tokens",
      "/api/sessions",
    ].map(async (path) => {
      const response = await owner.fetch(path);
      assert.equal(response.status, 200, path);
      return JSON.stringify(await response.json());
    }));
    return parts.join("\n").replace(/"(expires_at|updated_at)":"[^"]+"/g, "");
  };
  const before = await snapshot();

  // The intruders. The forged cookie carries the owner's own id.
  const second = new Client(server.url);
  await second.createSession();
  const ownerCookie = owner.cookies.get("chartroom_id")!;
  const [payload, mac] = ownerCookie.split(".");
  const forgedMac = (mac[0] === "A" ? "B" : "A") + mac.slice(1);
  const intruders: { who: string; headers: HeadersInit; client?: Client }[] = [
    { who: "second identity", headers: {}, client: second },
    { who: "anonymous", headers: {} },
    {
      who: "forged cookie",
      headers: { cookie: `chartroom_id=${payload}.${forgedMac}` },
    },
    {
      who: "revoked token",
      headers: { authorization: `Bearer ${revoked.token}` },
    },
  ];

  const routes = await apiRoutes();
  assert.ok(routes.length >= 25, `only ${routes.length} API routes found`);
  for (const { method, pattern } of routes) {
    const path = pathOf(pattern) + (QUERY[`${method} ${pattern}`] ?? "");
    const init = bodyOf(method, pattern);
    for (const intruder of intruders) {
      const headers = new Headers(init.headers);
      for (const [k, v] of new Headers(intruder.headers)) headers.set(k, v);
      const request = { ...init, method, headers };
      const response = intruder.client
        ? await intruder.client.fetch(path, request)
        : await fetch(server.url + path, { ...request, redirect: "manual" });
      const text = await response.text();
      const where = `${intruder.who}: ${method} ${pattern}`;
      assert.ok(response.status < 500, `${where} → ${response.status}`);
      if (intruder.who === "revoked token") {
        assert.equal(response.status, 401, where);
      } else if (!OWN.has(`${method} ${pattern}`)) {
        assert.equal(response.status, 404, `${where} → ${text}`);
      }
      for (const id of ownerIds) {
        assert.ok(!text.includes(id), `${where} shows the owner's ${id}`);
      }
    }
  }
  assert.equal(await snapshot(), before, "the owner's data changed");

  // The same requests from the owner succeed (deletes last, children first).
  const deletes = [
    "/api/tokens/:id",
    "/api/sessions/:id/shares/:shareId",
    "/api/artifacts/:id",
    "/api/datasets/:id",
    "/api/sessions/:id",
  ];
  const ordered = [
    ...routes.filter((r) => r.method !== "DELETE"),
    ...routes.filter((r) => r.method === "DELETE").sort((a, b) =>
      deletes.indexOf(a.pattern) - deletes.indexOf(b.pattern)
    ),
  ];
  for (const { method, pattern } of ordered) {
    if (OWN.has(`${method} ${pattern}`)) continue;
    const init = bodyOf(method, pattern);
    const controller = new AbortController();
    const query = QUERY[`${method} ${pattern}`] ?? "";
    const response = await owner.fetch(pathOf(pattern) + query, {
      ...init,
      method,
      signal: controller.signal,
    });
    assert.ok(
      response.status >= 200 && response.status < 300,
      `owner: ${method} ${pattern} → ${response.status}`,
    );
    controller.abort();
    await response.body?.cancel().catch(() => {});
  }
});
