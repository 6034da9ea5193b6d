export { ShortcutForm, type ShortcutFormProps } from './ShortcutForm';
export type { ServerErrorDetail } from './server-errors';
