// pg's own value conversion (Dates, arrays, JSON, Buffers), which its queries use for their
// parameters; pg-pipeline.ts binds the statements it sends ahead of a query the same way.
declare module 'pg/lib/utils.js' {
  export function prepareValue(value: unknown): unknown;
}
