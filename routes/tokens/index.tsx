import type { Handlers, PageProps } from "@/lib/http/types.ts";
import { readBodyText } from "@/lib/http/guards.ts";
import { describeIssues } from "@/lib/http/validate.ts";
import { type ApiToken, listApiTokens } from "@/lib/kv/tokens.ts";
import { CreateToken, makeToken } from "@/lib/http/tokens.ts";

interface TokensData {
  tokens: ApiToken[];
  /** The token just made: shown this once. */
  made?: { name: string; token: string };
  error?: string;
}

const EXPIRIES = [
  ["", "never (until revoked)"],
  ["7d", "in 7 days"],
  ["30d", "in 30 days"],
  ["90d", "in 90 days"],
  ["366d", "in a year"],
] as const;

export const handler: Handlers = {
  async GET(c) {
    const tokens = await listApiTokens(c.var.kv, c.var.ownerId);
    return c.render({ tokens } satisfies TokensData);
  },
  /** The page's form: makes a token and shows it once. */
  async POST(c) {
    const form = new URLSearchParams(await readBodyText(c.req.raw, 4096));
    const parsed = CreateToken.safeParse({
      name: form.get("name") ?? "",
      ...(form.get("expires_in") ? { expires_in: form.get("expires_in") } : {}),
    });
    let data: TokensData;
    if (parsed.success) {
      const made = await makeToken(c, parsed.data);
      data = {
        tokens: [],
        made: { name: made.record.name, token: made.token },
      };
    } else {
      c.status(400);
      data = { tokens: [], error: describeIssues(parsed.error) };
    }
    data.tokens = await listApiTokens(c.var.kv, c.var.ownerId);
    return c.render(data);
  },
};

const when = (ms: number) =>
  new Date(ms).toISOString().slice(0, 16).replace("T", " ") + " UTC";

export default function Tokens({ data }: PageProps<TokensData>) {
  return (
    <main class="narrow tokens">
      <h1>API tokens</h1>
      <p>
        A token lets a script use the API as you, without this browser's cookie:
        send it as <code>Authorization: Bearer …</code>.
      </p>
      {data.made && (
        <section class="made" role="status">
          <p>
            Your new token “{data.made.name}”. Copy it now: it is not shown
            again.
          </p>
          <pre><code>{data.made.token}</code></pre>
        </section>
      )}
      {data.error && <p class="error" role="alert">{data.error}</p>}
      <form method="post" class="actions">
        <label>
          Name <input name="name" required maxLength={100} />
        </label>{" "}
        <label>
          Expires{" "}
          <select name="expires_in">
            {EXPIRIES.map(([value, label]) => (
              <option key={value} value={value}>{label}</option>
            ))}
          </select>
        </label>{" "}
        <button type="submit" class="primary">Make a token</button>
      </form>
      <h2>Your tokens</h2>
      {data.tokens.length === 0 ? <p class="muted">No tokens yet.</p> : (
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Made</th>
              <th>Expires</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {data.tokens.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td>
                <td>{when(t.createdAt)}</td>
                <td>{t.expiresAt === null ? "never" : when(t.expiresAt)}</td>
                <td>
                  <form method="post" action={`/tokens/${t.id}/revoke`}>
                    <button
                      type="submit"
                      class="danger"
                      aria-label={`Revoke ${t.name}`}
                    >
                      Revoke
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
