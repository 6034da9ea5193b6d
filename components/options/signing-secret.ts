/** A new Standard Webhooks secret (`whsec_` and base64), made in the page as the admin asks for one. */
export function newSigningSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}
