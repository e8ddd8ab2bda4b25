export { parseRelease, WebReleaseReader, type WebRelease } from './web-release.js';
export { releaseRoutes } from './routes.js';
