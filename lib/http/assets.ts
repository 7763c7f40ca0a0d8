/** The content-hashed client assets written by `deno task build`. */
import { z } from "zod";

const AssetManifestSchema = z.object({
  runtime: z.string(),
  css: z.string(),
  islands: z.record(z.string(), z.string()),
});
export type AssetManifest = z.infer<typeof AssetManifestSchema>;

export const BUILD_DIR = new URL("../../static/build/", import.meta.url);

/** Reads the asset manifest; throws a message that says to run the build when missing. */
export async function loadAssets(): Promise<AssetManifest> {
  try {
    const text = await Deno.readTextFile(new URL("manifest.json", BUILD_DIR));
    return AssetManifestSchema.parse(JSON.parse(text));
  } catch (error) {
    throw new Error(
      `client bundles are missing or unreadable (${
        (error as Error).message
      }); run \`deno task build\``,
    );
  }
}
