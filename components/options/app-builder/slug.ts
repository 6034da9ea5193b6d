// Keys follow names as UChat's builder fills them in: typed once as a name, shown as a key the
// developer may still change. Each slug is one the contract accepts, or empty.

const words = (name: string) => name.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').match(/[a-z0-9]+/g) ?? [];

/** "Payments & Refunds" -> "payments-refunds" (AppKey: lower-case words joined by -). */
export function appKeyFromName(name: string): string {
  return words(name).join('-').slice(0, 64).replace(/-+$/, '');
}

/** "Payment status" -> "payment_status" (ItemKey: letters, digits and _, not starting with a digit). */
export function itemKeyFromName(name: string): string {
  const slug = words(name).join('_');
  return (/^[0-9]/.test(slug) ? `_${slug}` : slug).slice(0, 30).replace(/_+$/, '');
}

/**
 * The key after the name changed from `before` to `after`: it follows the name while it is empty
 * or still the slug of the name before (the developer has not typed a key of their own).
 */
export function followName(key: string, before: string, after: string, slug: (name: string) => string): string {
  return key === '' || key === slug(before) ? slug(after) : key;
}
