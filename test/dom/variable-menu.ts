// The "Insert variable" menu shows each variable by its label ("Plan"), the variable it inserts
// beside it as its description (`{{$contact.fields.plan}}`): tests find an item by that variable,
// as the admin reads it there.

/** A `description` matcher for the menu item inserting `variable` (`$trigger.amount`). */
export const insertsVariable = (variable: string) => (description: string) => description.split(' ')[0] === `{{${variable}}}`;

/** The variables a menu's items insert, in order. */
export const offeredVariables = (items: readonly HTMLElement[]) =>
  items.map((i) => i.querySelector('.menu-path')?.textContent?.replace(/^\{\{|\}\}$/g, '') ?? '');
