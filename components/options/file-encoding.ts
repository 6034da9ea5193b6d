// A spreadsheet's bytes as text. Excel on Windows saves "CSV (comma/semicolon delimited)" in the
// system's ANSI code page (Windows-1252 in Western Europe and the Americas), not UTF-8, and
// reading those bytes as UTF-8 stores "Jos�" for José without a word. So the file is read as
// UTF-8 only when it is valid UTF-8, else as Windows-1252, said above the preview with a way to
// pick another encoding.

/**
 * The encodings offered (WHATWG labels, which TextDecoder takes). ISO-8859-1 is not listed apart:
 * browsers decode it as Windows-1252 (the Encoding Standard makes the labels one), which is also
 * what files labelled Latin-1 almost always are.
 */
export const ENCODINGS = [
  { value: 'utf-8', label: 'UTF-8' },
  { value: 'windows-1252', label: 'Windows-1252 / ISO-8859-1 (Excel on Windows)' },
  { value: 'iso-8859-15', label: 'ISO-8859-15 (Western European with €)' },
  { value: 'windows-1250', label: 'Windows-1250 (Central European)' },
  { value: 'windows-1251', label: 'Windows-1251 (Cyrillic)' },
  { value: 'macintosh', label: 'Mac Roman (older Excel for Mac)' },
  { value: 'utf-16le', label: 'UTF-16 LE (Excel’s “Unicode Text”)' },
  { value: 'utf-16be', label: 'UTF-16 BE' },
] as const;
export type Encoding = (typeof ENCODINGS)[number]['value'];

export interface DecodedFile {
  text: string;
  encoding: Encoding;
  /** Not valid UTF-8, so read as Windows-1252: the page says so. */
  notUtf8: boolean;
}

/** A byte order mark names its encoding (Excel's "CSV UTF-8" starts with one; "Unicode Text" too). */
function byBom(bytes: Uint8Array): Encoding | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** The file's text in `chosen`, or, when nothing is chosen, in the encoding it has (BOM, valid UTF-8, else Windows-1252). */
export function decodeFile(bytes: Uint8Array, chosen?: Encoding): DecodedFile {
  if (chosen) return { text: new TextDecoder(chosen).decode(bytes), encoding: chosen, notUtf8: false };
  const bom = byBom(bytes);
  if (bom) return { text: new TextDecoder(bom).decode(bytes), encoding: bom, notUtf8: false };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8', notUtf8: false };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252', notUtf8: true };
  }
}
