import { existsSync } from 'node:fs';

/**
 * The font PDFs draw Chinese with: WenQuanYi Zen Hei from Debian's fonts-wqy-zenhei (GPL with the
 * font exception, so embedding it in documents is allowed). BILL_PDF_FONT names another file, for
 * every PDF the service makes (bills and signed agreements alike).
 */
export const defaultCjkFontFile = '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc';

/** The face inside the .ttc collection, by its PostScript name. */
export const cjkFontFace = 'WenQuanYiZenHei';

export function cjkFontFile(): string | null {
  const file = process.env.BILL_PDF_FONT ?? defaultCjkFontFile;
  return existsSync(file) ? file : null;
}
