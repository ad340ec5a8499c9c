/**
 * Where the public pages live, outside the api's `/api/v1` prefix (receipt QR codes print
 * `/p/r/…`): the global prefix excludes it and the web app's page fallback leaves it alone.
 */
export const PUBLIC_PAGES_PREFIX = 'p';

/** The global-prefix exclusion and the web app's fallback both match this. */
export const PUBLIC_PAGES_PATH = /^\/p(\/|$)/;
