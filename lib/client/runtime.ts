/**
 * Browser side of the islands runtime: reads the page's island data, loads each
 * island's content-hashed bundle and hydrates its host element.
 */
import { type ComponentType, h, hydrate } from "preact";
import { signal } from "@preact/signals";

interface IslandData {
  bundles: Record<string, string>;
  instances: { name: string; props: Record<string, unknown> }[];
}

function revive(_key: string, value: unknown): unknown {
  if (
    value && typeof value === "object" && "__signal" in value &&
    Object.keys(value).length === 1
  ) {
    return signal((value as { __signal: unknown }).__signal);
  }
  return value;
}

async function boot() {
  const script = document.getElementById("__islands");
  if (!script?.textContent) return;
  const data = JSON.parse(script.textContent, revive) as IslandData;
  const hostsOnPage = document.querySelectorAll<HTMLElement>("[data-island]");
  await Promise.all([...hostsOnPage].map(async (host) => {
    const instance = data.instances[Number(host.dataset.islandIndex)];
    if (!instance) return;
    const mod = await import(data.bundles[instance.name]) as {
      default: ComponentType<Record<string, unknown>>;
    };
    hydrate(h(mod.default, instance.props), host);
    host.dataset.hydrated = "true";
  }));
  document.documentElement.dataset.hydrated = "true";
}

boot();
