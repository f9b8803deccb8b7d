/**
 * The fonts the PDF report embeds (DejaVu Sans, see renderer/assets/fonts/LICENSE): fetched
 * from the app's own files only when a PDF is made, so the first load never carries 2 MB of
 * fonts. Vite gives each file a URL of the built app (`?url`); the CSP allows connect-src
 * 'self', and nothing leaves the machine.
 */
import boldUrl from '../../assets/fonts/DejaVuSans-Bold.ttf?url';
import italicUrl from '../../assets/fonts/DejaVuSans-Oblique.ttf?url';
import regularUrl from '../../assets/fonts/DejaVuSans.ttf?url';

let loading: Promise<{ regular: Uint8Array; bold: Uint8Array; italic: Uint8Array }> | null = null;

async function fontFile(url: string, name: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`The PDF font ${name} could not be loaded from the app’s files (status ${response.status}); reinstall Cartography, or export HTML or Word instead.`);
  return new Uint8Array(await response.arrayBuffer());
}

/** The three fonts, loaded once per session (a failed load is tried again next time). */
export function loadReportFonts(): Promise<{ regular: Uint8Array; bold: Uint8Array; italic: Uint8Array }> {
  loading ??= Promise.all([fontFile(regularUrl, 'DejaVuSans.ttf'), fontFile(boldUrl, 'DejaVuSans-Bold.ttf'), fontFile(italicUrl, 'DejaVuSans-Oblique.ttf')])
    .then(([regular, bold, italic]) => ({ regular, bold, italic }))
    .catch((error: unknown) => {
      loading = null;
      throw error;
    });
  return loading;
}
