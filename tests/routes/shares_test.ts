/**
 * Share links: the life cycle of a session's and a chart's link (made, opened
 * without a cookie, listed with when it was last opened, revoked, expired),
 * what a shared page holds and never holds, embeds at sizes from the render
 * cache, and who may make and revoke links.
 */
import assert from "node:assert/strict";
import { Client, startTestServer } from "@/tests/_fixtures.ts";
import { decodePng } from "@/tests/_png.ts";

const PROMPT = "bar chart of average no2 per city";

/** Fetches without a cookie, as a colleague opening a pasted link would. */
async function visit(url: string, init: RequestInit = {}) {
  const response = await fetch(url, { ...init, redirect: "manual" });
  assert.equal(response.headers.get("set-cookie"), null, `${url} set a cookie`);
  return response;
}

Deno.test("shares: a session's link opens read-only without a cookie, is listed with its last open, and stops when revoked", async () => {
  await using server = await startTestServer();
  const owner = new Client(server.url);
  const { sessionId, artifactId } = await owner.sessionWithChart(PROMPT);
  await owner.chat(sessionId, "make it a line chart");
  const ownerId = owner.cookies.get("chartroom_id")!.split(".")[0];
  const made = await owner.json(
    `/api/sessions/${sessionId}/shares`,
    "POST",
    {},
  );
  assert.equal(made.status, 201);
  const share = await made.json();
  assert.equal(share.kind, "session");
  assert.match(share.url, new RegExp(`^${server.url}/s/[A-Za-z0-9_-]{22}$`));
  assert.equal(share.expires_at, null);
  assert.equal(share.last_opened_at, null);

  const page = await visit(share.url, {
    headers: { "accept-language": "de" },
  });
  assert.equal(page.status, 200);
  assert.equal(page.headers.get("x-robots-tag"), "noindex");
  assert.match(
    page.headers.get("content-security-policy")!,
    /script-src 'self'/,
  );
  assert.equal(page.headers.get("x-frame-options"), "DENY");
  const html = await page.text();
  assert.match(html, /<meta name="robots" content="noindex"/);
  assert.match(html, /bar chart of average no2 per city/, "the conversation");
  assert.match(html, /property="og:title"/);
  assert.match(
    html,
    new RegExp(`property="og:image" content="${share.url}\\.png`),
  );
  assert.ok(!html.includes(ownerId), "the owner's identity is not on the page");
  assert.ok(!/<textarea|name="content"/.test(html), "no message box");

  // Every chart with its versions, and its files in every format.
  const detail = await visit(`${share.url}/artifacts/${artifactId}?version=1`);
  assert.equal(detail.status, 200);
  const v1 = await detail.json();
  assert.deepEqual(v1.versions, [1, 2]);
  assert.equal(v1.spec.type, "bar");
  const csv = await visit(
    `${share.url}/artifacts/${artifactId}/export?format=csv&version=1`,
  );
  assert.equal(csv.status, 200);
  assert.match(await csv.text(), /Lagos|Kampala|Nairobi|Accra/);
  const zip = await visit(`${share.url}/export?format=zip`);
  assert.equal(zip.status, 200);
  assert.equal(zip.headers.get("content-type"), "application/zip");
  await zip.body?.cancel();
  // Nothing can be written through it.
  for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
    const write = await visit(share.url, { method });
    assert.ok([404, 405].includes(write.status), `${method} ${write.status}`);
    await write.body?.cancel();
  }

  const list = await (await owner.fetch(`/api/sessions/${sessionId}/shares`))
    .json();
  assert.equal(list.shares.length, 1);
  assert.equal(list.shares[0].id, share.id);
  assert.ok(list.shares[0].last_opened_at, "when it was last opened");

  const revoked = await owner.fetch(
    `/api/sessions/${sessionId}/shares/${share.id}`,
    { method: "DELETE" },
  );
  assert.equal(revoked.status, 204);
  const gone = await visit(share.url, {
    headers: { "accept-language": "es-MX,es;q=0.9,en;q=0.5" },
  });
  assert.equal(gone.status, 410);
  const goneHtml = await gone.text();
  assert.match(goneHtml, /<html lang="es"/);
  assert.match(goneHtml, /Este enlace fue desactivado/);
  assert.ok(!goneHtml.includes("no2"), "never the content");
  for (
    const path of [
      `/artifacts/${artifactId}`,
      `/artifacts/${artifactId}/export?format=csv`,
      "/export?format=zip",
      "/embed",
    ]
  ) {
    const refused = await visit(share.url + path);
    assert.equal(refused.status, 410, path);
    await refused.body?.cancel();
  }
  const listed = await (await owner.fetch(`/api/sessions/${sessionId}/shares`))
    .json();
  assert.deepEqual(listed.shares, []);
  const forged = await visit(`${server.url}/s/AAAAAAAAAAAAAAAAAAAAAA`);
  assert.equal(forged.status, 404);
  assert.match(await forged.text(), /This link is not valid/);
});

Deno.test("shares: a chart's link shows one version or always the newest, embeds at sizes from the render cache, and expires", async () => {
  await using server = await startTestServer();
  const owner = new Client(server.url);
  const { sessionId, artifactId } = await owner.sessionWithChart(PROMPT);
  const share = (body: unknown) =>
    owner.json(`/api/sessions/${sessionId}/shares`, "POST", body)
      .then((r) => r.json());
  const pinned = await share({ artifact_id: artifactId, version: 1 });
  const newest = await share({ artifact_id: artifactId });
  assert.equal(pinned.kind, "chart");
  assert.equal(pinned.version, 1);
  assert.equal(pinned.embed.png, `${pinned.url}.png`);
  assert.match(pinned.embed.html, /^<iframe src="[^"]+\/embed"/);
  await owner.chat(sessionId, "make it a line chart");

  const open = async (url: string) => {
    const page = await visit(url);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.ok(!html.includes("bar chart of average no2 per city"), "no chat");
    return html;
  };
  // The pinned link shows version 1 (a bar chart) alone; the other the line chart.
  const pinnedDetail = await (await visit(
    `${pinned.url}/artifacts/${artifactId}`,
  )).json();
  assert.equal(pinnedDetail.version, 1);
  assert.deepEqual(pinnedDetail.versions, [1]);
  assert.equal(pinnedDetail.spec.type, "bar");
  const newestDetail = await (await visit(
    `${newest.url}/artifacts/${artifactId}`,
  )).json();
  assert.equal(newestDetail.spec.type, "line");
  assert.deepEqual(newestDetail.versions, [2]);
  const other = await visit(`${pinned.url}/artifacts/${artifactId}?version=2`);
  assert.equal(other.status, 404);
  await other.body?.cancel();
  assert.match(await open(pinned.url), /og:image/);
  await open(newest.url);

  // Embeds: PNG at sizes and scales, SVG, a dark theme; cached, with an ETag.
  for (
    const [query, width, height] of [
      ["", 800, 450],
      ["?width=400&height=300&scale=2", 800, 600],
      ["?width=1200&height=630&theme=dark", 1200, 630],
    ] as const
  ) {
    const png = await visit(`${newest.url}.png${query}`);
    assert.equal(png.status, 200, query);
    assert.equal(png.headers.get("content-type"), "image/png");
    const size = decodePng(new Uint8Array(await png.arrayBuffer()));
    assert.deepEqual([size.width, size.height], [width, height], query);
  }
  const first = await visit(`${pinned.url}.png?width=640&height=360`);
  const bytes = new Uint8Array(await first.arrayBuffer());
  const etag = first.headers.get("etag")!;
  assert.match(first.headers.get("cache-control")!, /max-age=\d+/);
  const again = await visit(`${pinned.url}.png?width=640&height=360`);
  assert.equal(again.headers.get("x-render-cache"), "hit");
  assert.deepEqual(new Uint8Array(await again.arrayBuffer()), bytes);
  const revalidated = await visit(`${pinned.url}.png?width=640&height=360`, {
    headers: { "if-none-match": etag },
  });
  assert.equal(revalidated.status, 304);
  const svg = await visit(`${pinned.url}.svg?width=500&height=300`);
  assert.equal(svg.headers.get("content-type"), "image/svg+xml");
  assert.match(
    svg.headers.get("content-security-policy")!,
    /default-src 'none'/,
  );
  assert.match(await svg.text(), /<svg[^>]+width="500"[^>]+height="300"/);
  const tooBig = await visit(
    `${pinned.url}.png?width=4000&height=4000&scale=4`,
  );
  assert.equal(tooBig.status, 400);
  await tooBig.body?.cancel();
  // The iframe page: the one page any site may frame.
  const frame = await visit(`${pinned.url}/embed`);
  assert.equal(frame.status, 200);
  assert.match(
    frame.headers.get("content-security-policy")!,
    /frame-ancestors \*/,
  );
  assert.equal(frame.headers.get("x-frame-options"), null);
  assert.match(await frame.text(), /data-island="EmbedChart"/);

  // An expiring link.
  const brief = await share({ artifact_id: artifactId, expires_in: 1 });
  const live = await visit(brief.url);
  assert.equal(live.status, 200);
  await live.body?.cancel();
  await new Promise((r) => setTimeout(r, 1100));
  const expired = await visit(brief.url);
  assert.equal(expired.status, 410);
  assert.match(await expired.text(), /This link has expired/);
  const expiredPng = await visit(`${brief.url}.png`);
  assert.equal(expiredPng.status, 410);
  await expiredPng.body?.cancel();
});

Deno.test("shares: only the owner makes, lists and revokes links; bad requests are 400 and make none", async () => {
  await using server = await startTestServer();
  const owner = new Client(server.url);
  const { sessionId, artifactId } = await owner.sessionWithChart(PROMPT);
  const stranger = new Client(server.url);
  const theirSession = await stranger.createSession();
  const mine = await (await owner.json(
    `/api/sessions/${sessionId}/shares`,
    "POST",
    {},
  )).json();
  for (
    const [path, method, body] of [
      [`/api/sessions/${sessionId}/shares`, "POST", {}],
      [`/api/sessions/${sessionId}/shares`, "GET", undefined],
      [`/api/sessions/${sessionId}/shares/${mine.id}`, "DELETE", undefined],
      [`/api/sessions/${theirSession}/shares`, "POST", {
        artifact_id: artifactId,
      }],
    ] as const
  ) {
    const response = body === undefined
      ? await stranger.fetch(path, { method })
      : await stranger.json(path, method, body);
    assert.equal(response.status, 404, `${method} ${path}`);
    await response.body?.cancel();
  }
  for (
    const body of [
      { version: 1 },
      { artifact_id: "nope" },
      { expires_in: 0 },
      { expires_in: "soon" },
      { extra: true },
    ]
  ) {
    const response = await owner.json(
      `/api/sessions/${sessionId}/shares`,
      "POST",
      body,
    );
    assert.equal(response.status, 400, JSON.stringify(body));
    await response.body?.cancel();
  }
  const missing = await owner.json(
    `/api/sessions/${sessionId}/shares`,
    "POST",
    {
      artifact_id: artifactId,
      version: 9,
    },
  );
  assert.equal(missing.status, 404);
  await missing.body?.cancel();
  const list = await (await owner.fetch(`/api/sessions/${sessionId}/shares`))
    .json();
  assert.deepEqual(list.shares.map((s: { id: string }) => s.id), [mine.id]);
  // Deleting the session takes its links with it.
  const deleted = await owner.fetch(`/api/sessions/${sessionId}`, {
    method: "DELETE",
  });
  assert.ok(deleted.ok);
  await deleted.body?.cancel();
  const after = await visit(mine.url);
  assert.equal(after.status, 404);
  assert.match(await after.text(), /not valid|no longer available/);
});
