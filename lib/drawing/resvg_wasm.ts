/**
 * The resvg wasm module, compiled once per process: the render pool compiles
 * it on the main thread (on V8's background threads) and hands the compiled
 * module to every worker, so its machine code (and what V8 later optimises
 * of it) is shared instead of compiled and held once per worker.
 */
// Puts the package, and so its .wasm, in the module graph (and npm cache).
import "@resvg/resvg-wasm";

let compiled: Promise<WebAssembly.Module> | undefined;

/** Returns resvg's compiled wasm module; a failed compile is retried on the next call. */
export function compileResvg(): Promise<WebAssembly.Module> {
  compiled ??= (async () => {
    const url = new URL(import.meta.resolve("@resvg/resvg-wasm/index_bg.wasm"));
    return await WebAssembly.compile(await Deno.readFile(url));
  })().catch((error) => {
    compiled = undefined;
    throw error;
  });
  return compiled;
}

/** Uses a module compiled elsewhere (the pool's) in this isolate. */
export function useCompiledResvg(module: WebAssembly.Module): void {
  compiled = Promise.resolve(module);
}
