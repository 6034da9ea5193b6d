// The contract takes any text starting with http(s):// so that a half-typed URL saves; the step's
// default "https://" (no host) would then publish and fail on every run. Publishing checks the
// URL as it will be sent, each variable standing for a value.

const EXAMPLE = 'e.g. https://api.example.com/orders';

/** What keeps an HTTP request's URL template from being an address; undefined when it is one. */
export function httpUrlProblem(template: string): string | undefined {
  const url = template.trim();
  // A URL opening with a variable takes its base from it ({{$step.callbackUrl}}): known only when it runs.
  if (url.startsWith('{{')) return undefined;
  if (/^https?:\/\/$/i.test(url)) return `Enter the address after ${url} (${EXAMPLE})`;
  try {
    const parsed = new URL(url.replace(/\{\{[^{}]*\}\}/g, 'x'));
    if (parsed.hostname) return undefined;
  } catch {
    // Said below.
  }
  return `"${url}" is not a complete URL: write the server's address after http:// or https:// (${EXAMPLE})`;
}
