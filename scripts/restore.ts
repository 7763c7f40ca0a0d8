/**
 * `deno task restore <file> [--merge]`: writes a backup (from `deno task
 * backup`) into the store the app is configured for, each entry with its
 * remaining TTL. A store that already holds data is refused unless
 * `--merge` (then the backup's entries replace those of the same key). The
 * file is checked whole first: a damaged one writes nothing.
 */
import { ConfigError, configFromEnv } from "@/lib/config.ts";
import { openKv } from "@/lib/kv/open.ts";
import { BackupError, restoreStore, storeIsEmpty } from "@/lib/kv/backup.ts";

const merge = Deno.args.includes("--merge");
const paths = Deno.args.filter((a) => a !== "--merge");
if (paths.length !== 1 || paths[0].startsWith("--")) {
  console.error("usage: deno task restore <file> [--merge]");
  Deno.exit(2);
}
const [path] = paths;
try {
  const config = configFromEnv();
  const kv = await openKv(config.KV_PATH, {
    onDeploy: !!config.DENO_DEPLOYMENT_ID,
  });
  if (!merge && !(await storeIsEmpty(kv))) {
    console.error(
      `${config.KV_PATH} already holds data; restore into an empty store, or pass --merge to add the backup to it (entries of the same key are replaced)`,
    );
    Deno.exit(1);
  }
  const { written, expired } = await restoreStore(
    kv,
    async () => (await Deno.open(path)).readable,
  );
  kv.close();
  console.log(
    `restored ${written} entries into ${config.KV_PATH}${
      expired
        ? ` (${expired} had expired since the backup and were skipped)`
        : ""
    }`,
  );
} catch (error) {
  if (
    !(error instanceof ConfigError || error instanceof BackupError ||
      error instanceof Deno.errors.NotFound)
  ) throw error;
  console.error(`restore refused: ${error.message}; nothing was written`);
  Deno.exit(1);
}
