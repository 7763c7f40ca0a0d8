import assert from "node:assert/strict";
import { compareRoutePaths, routePathOf } from "@/lib/http/route_paths.ts";

Deno.test("router: file names become Fresh-style URL patterns", () => {
  assert.equal(routePathOf("./routes/index.tsx"), "/");
  assert.equal(routePathOf("./routes/health.ts"), "/health");
  assert.equal(routePathOf("./routes/sessions/[id].tsx"), "/sessions/:id");
  assert.equal(
    routePathOf("./routes/api/sessions/[id]/index.ts"),
    "/api/sessions/:id",
  );
  assert.equal(
    routePathOf("./routes/api/sessions/[id]/messages.ts"),
    "/api/sessions/:id/messages",
  );
  assert.equal(routePathOf("./routes/files/[...path].ts"), "/files/*");
  assert.equal(routePathOf("./routes/_app.tsx"), null);
  assert.equal(routePathOf("./routes/_middleware.ts"), null);
  assert.equal(routePathOf("./routes/_404.tsx"), null);
});

Deno.test("router: static segments are registered before dynamic ones", () => {
  const paths = ["/sessions/:id", "/files/*", "/sessions/new", "/"];
  assert.deepEqual(paths.sort(compareRoutePaths), [
    "/",
    "/sessions/new",
    "/sessions/:id",
    "/files/*",
  ]);
});
