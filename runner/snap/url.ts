/** The one place the Snap URL is built. The token rides in the query string, as Snap's v3 asks. */
export function eventsUrl(base: string, pixelId: string, token: string, options: { validate?: boolean } = {}): string {
  const url = new URL(`/v3/${encodeURIComponent(pixelId)}/events${options.validate ? '/validate' : ''}`, base);
  url.searchParams.set('access_token', token);
  return url.toString();
}
