/** The peer workload of ../shared/bench: four ECharts options drawn at 800×400, scale 2. */

/** Size every peer chart is drawn at. */
export const PEER_SIZE = { width: 800, height: 400, scale: 2 } as const;

/** Where the workload lives, beside this repository. */
export const PEER_CHARTS_URL = new URL(
  "../../shared/bench/peer-charts.json",
  import.meta.url,
);

/** Returns the four peer options by name, or null when the file is absent. */
export async function loadPeerCharts(): Promise<
  Record<string, Record<string, unknown>> | null
> {
  try {
    const file = JSON.parse(await Deno.readTextFile(PEER_CHARTS_URL));
    return file.charts;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return null;
    throw err;
  }
}
