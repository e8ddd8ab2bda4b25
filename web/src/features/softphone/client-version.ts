// Replaced at build time by Vite's `define` with the package version (web/vite.config.ts).
declare const __APP_VERSION__: string | undefined;

/** The softphone's version: the package version the bundle was built from ('0.0.0' where no build defined it). */
export const softphoneVersion: string = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '0.0.0';

/** `Videophone-Web/<version>`: the pattern the registrar reads (src/releases/client-versions.ts). */
export const softphoneUserAgent = `Videophone-Web/${softphoneVersion}`;
