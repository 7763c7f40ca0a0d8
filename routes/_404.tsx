export default function NotFoundPage() {
  return (
    <main class="narrow">
      <h1>Not found</h1>
      <p>
        There is nothing here, or it belongs to someone else, or it has expired.
      </p>
      <p>
        <a href="/">Go to your sessions</a>
      </p>
    </main>
  );
}
