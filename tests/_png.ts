/** A small PNG reader for tests: size from IHDR, pixels through the platform's decoder. */
import { decode } from "fast-png";

/** Returns a PNG's size and how many distinct colours it uses (sampled). */
export function decodePng(bytes: Uint8Array) {
  const signature = [137, 80, 78, 71, 13, 10, 26, 10];
  if (!signature.every((b, i) => bytes[i] === b)) throw new Error("not a PNG");
  const image = decode(bytes);
  const channels = image.channels;
  const colours = new Set<string>();
  const data = image.data;
  const step = Math.max(1, Math.floor(data.length / channels / 20_000));
  for (let p = 0; p < data.length / channels; p += step) {
    const at = p * channels;
    colours.add(Array.from(data.subarray(at, at + channels)).join(","));
  }
  return {
    width: image.width,
    height: image.height,
    distinctColours: colours.size,
  };
}
