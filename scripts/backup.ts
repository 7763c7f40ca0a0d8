/**
 * `deno task backup <file>`: writes the whole store the app is configured
 * for (KV_PATH: a local file or a KV Connect URL; Deploy's KV on Deploy)
 * into a backup file, streamed (see lib/kv/backup.ts). The file appears
 * only once it is complete.
 */
import { ConfigError, configFromEnv } from "@/lib/config.ts";
import { openKv } from "@/lib/kv/open.ts";
import { backupStore } from "@/lib/kv/backup.ts";

const path = Deno.args[0];
if (!path || Deno.args.length > 1) {
  console.error("usage: deno task backup <file>");
  Deno.exit(2);
}
try {
  const config = configFromEnv();
  const kv = await openKv(config.KV_PATH, {
    onDeploy: !!config.DENO_DEPLOYMENT_ID,
  });
  const partial = `${path}.partial`;
  let count = 0;
  const file = await Deno.open(partial, {
    write: true,
    create: true,
    truncate: true,
  });
  await backupStore(kv, () => count++).pipeTo(file.writable);
  await Deno.rename(partial, path);
  kv.close();
  console.log(`backed up ${count} entries of ${config.KV_PATH} to ${path}`);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  Deno.exit(1);
}
