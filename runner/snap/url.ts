/** The one place the Snap URL is built. The token rides in the query string, as Snap's v3 asks. */
export function eventsUrl(base: string, pixelId: string, token: string, options: { validate?: boolean } = {}): string {
  const url = new URL(`/v3/${encodeURIComponent(pixelId)}/events${options.validate ? '/validate' : ''}`, base);
  url.searchParams.set('access_token', token);
  return url.toString();
}

/** A URL fit for logs and errors: the access token replaced by ***. */
export function redactUrl(url: string): string {
  return url.replace(/([?&]access_token=)[^&#]*/g, '$1***');
}
