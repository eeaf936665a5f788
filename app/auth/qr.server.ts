/**
 * The enrolment QR code, as an image address (`data:image/svg+xml`): drawn by the `qrcode` library from the otpauth
 * address, never inserted as markup, so nothing in it (an email address) can become HTML. The page's CSP allows data: images.
 */
import QRCode from 'qrcode';

export async function qrCodeImage(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}
