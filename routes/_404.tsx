import type { PageProps } from "@/lib/http/types.ts";

export default function NotFoundPage({ ui }: PageProps) {
  return (
    <main class="narrow">
      <h1>{ui.notFound}</h1>
      <p>{ui.notFoundText}</p>
      <p>
        <a href="/">{ui.goHome}</a>
      </p>
    </main>
  );
}
