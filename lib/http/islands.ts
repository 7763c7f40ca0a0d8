/**
 * Server side of the islands runtime. Components from `islands/` are rendered
 * on the server like any other, wrapped in a `<div data-island>` host, and their
 * props (signal values included) are collected into one JSON script that the
 * browser runtime (`lib/client/runtime.ts`) reads to hydrate each host.
 * Islands do not nest: an island's children render as plain components.
 */
import { type ComponentType, h, options, type VNode } from "preact";
import { Signal } from "@preact/signals";

interface IslandInstance {
  name: string;
  props: Record<string, unknown>;
}

const islandNames = new Map<unknown, string>();
const hosts = new Map<string, ComponentType<HostProps>>();
let collected: IslandInstance[] | null = null;
// Set while a host creates its island's own vnode, which must not be wrapped again.
let creatingInner = false;

interface HostProps {
  props: Record<string, unknown>;
}

/** Registers the island components of the manifest, by their file name. */
export function registerIslands(
  islands: Record<string, { default: ComponentType<never> }>,
): void {
  for (const [file, mod] of Object.entries(islands)) {
    const name = file.split("/").pop()!.replace(/\.(tsx|ts)$/, "");
    islandNames.set(mod.default, name);
    const Component = mod.default as ComponentType<Record<string, unknown>>;
    hosts.set(name, function IslandHost({ props }: HostProps) {
      const index = collected!.length;
      collected!.push({ name, props });
      creatingInner = true;
      const inner = h(Component, props);
      creatingInner = false;
      return h(
        "div",
        {
          "data-island": name,
          "data-island-index": index,
          style: "display:contents",
        },
        inner,
      );
    });
  }
}

const previousVnodeHook = options.vnode;
options.vnode = (vnode: VNode) => {
  if (collected && !creatingInner && typeof vnode.type === "function") {
    const name = islandNames.get(vnode.type);
    if (name) {
      const props = vnode.props as Record<string, unknown>;
      (vnode as { type: unknown }).type = hosts.get(name)!;
      (vnode as { props: unknown }).props = { props };
    }
  }
  previousVnodeHook?.(vnode);
};

/** Renders a page with island collection on; returns the HTML and the island instances. */
export function withIslands<T>(
  render: () => T,
): { result: T; islands: IslandInstance[] } {
  const previous = collected;
  collected = [];
  try {
    const result = render();
    return { result, islands: collected };
  } finally {
    collected = previous;
  }
}

/**
 * Serialises island props for a `<script type="application/json">`: signals
 * become `{"__signal": value}`, and `<`, `>` and `&` are escaped so no value can
 * close the script element.
 */
export function serializeIslandData(data: unknown): string {
  return JSON.stringify(markSignals(data)).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

// Signals must be marked before JSON.stringify, which would call their toJSON.
function markSignals(value: unknown): unknown {
  if (value instanceof Signal) return { __signal: markSignals(value.peek()) };
  if (Array.isArray(value)) return value.map(markSignals);
  if (value && typeof value === "object" && value.constructor === Object) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => typeof v !== "function")
        .map(([k, v]) => [k, markSignals(v)]),
    );
  }
  return value;
}
